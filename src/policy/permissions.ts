import { Cap } from './capabilities.js';
import type { PathRule } from './types.js';

/**
 * What one pattern grants once every policy's blocks for that same pattern are merged, following Vault's `NewACL`:
 * capabilities are ORed; a deny anywhere leaves only deny; parameter lists are unioned key by key, an empty list
 * ("any value") winning over a non-empty one; required parameters are unioned; of the wrapping TTL bounds the
 * lowest non-zero value of each is kept.
 */
export interface Permissions {
  capabilities: number;
  minWrappingTTL: number;
  maxWrappingTTL: number;
  allowedParameters?: Map<string, unknown[]>;
  deniedParameters?: Map<string, unknown[]>;
  requiredParameters: string[];
}

function toMap(record: Record<string, unknown[]> | undefined): Map<string, unknown[]> | undefined {
  return record === undefined ? undefined : new Map(Object.entries(record).map(([k, v]) => [k, [...v]]));
}

/** The permissions of a single block, before any merging. */
export function permissionsOf(rule: PathRule): Permissions {
  const p: Permissions = {
    capabilities: rule.capabilities,
    minWrappingTTL: rule.minWrappingTTL,
    maxWrappingTTL: rule.maxWrappingTTL,
    requiredParameters: [...(rule.requiredParameters ?? [])],
  };
  const allowed = toMap(rule.allowedParameters);
  const denied = toMap(rule.deniedParameters);
  if (allowed) p.allowedParameters = allowed;
  if (denied) p.deniedParameters = denied;
  return p;
}

function mergeParameterMaps(existing: Map<string, unknown[]> | undefined, incoming: Map<string, unknown[]> | undefined): Map<string, unknown[]> | undefined {
  if (!incoming || incoming.size === 0) return existing;
  if (!existing) return new Map([...incoming].map(([k, v]) => [k, [...v]]));
  for (const [key, values] of incoming) {
    const prev = existing.get(key);
    existing.set(key, values.length === 0 || (prev !== undefined && prev.length === 0) ? [] : [...values, ...(prev ?? [])]);
  }
  return existing;
}

/** Lowest non-zero of two bounds; 0 means "no bound". */
function lowestBound(existing: number, incoming: number): number {
  return incoming > 0 && (existing === 0 || incoming < existing) ? incoming : existing;
}

/** Merges `incoming` into `existing` (mutated) for two blocks with the identical pattern. */
export function mergePermissions(existing: Permissions, incoming: Permissions): void {
  if (existing.capabilities & Cap.deny) return;
  if (incoming.capabilities & Cap.deny) {
    existing.capabilities = Cap.deny;
    delete existing.allowedParameters;
    delete existing.deniedParameters;
    existing.requiredParameters = [];
    existing.minWrappingTTL = 0;
    existing.maxWrappingTTL = 0;
    return;
  }
  existing.capabilities |= incoming.capabilities;
  existing.minWrappingTTL = lowestBound(existing.minWrappingTTL, incoming.minWrappingTTL);
  existing.maxWrappingTTL = lowestBound(existing.maxWrappingTTL, incoming.maxWrappingTTL);
  const allowed = mergeParameterMaps(existing.allowedParameters, incoming.allowedParameters);
  const denied = mergeParameterMaps(existing.deniedParameters, incoming.deniedParameters);
  if (allowed) existing.allowedParameters = allowed;
  if (denied) existing.deniedParameters = denied;
  for (const name of incoming.requiredParameters) {
    if (!existing.requiredParameters.includes(name)) existing.requiredParameters.push(name);
  }
}
