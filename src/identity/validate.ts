import { randomBytes } from 'node:crypto';
import { invalidRequest } from '../lib/errors.js';

/**
 * Input rules of Vault's identity store. Vault reports most of these as 500s (plain Go errors); Ward answers 400,
 * since they are the caller's mistake, and keeps Vault's wording.
 */

const META_KEY = /^[a-zA-Z0-9=/+_-]+$/;
const META_MAX_PAIRS = 64;
const META_KEY_MAX = 128;
const META_VALUE_MAX = 512;
const META_RESERVED_PREFIX = 'vault-';

/** Vault's `validateMetadata` for entity, group and alias metadata. */
export function checkMetadata(meta: Record<string, string> | undefined, what: string): void {
  if (!meta) return;
  const entries = Object.entries(meta);
  if (entries.length > META_MAX_PAIRS) {
    throw invalidRequest(`invalid ${what} metadata: metadata cannot contain more than ${META_MAX_PAIRS} key/value pairs`);
  }
  for (const [key, value] of entries) {
    const problem =
      key === '' ? 'key cannot be blank'
      : !META_KEY.test(key) ? 'key contains invalid characters'
      : key.length > META_KEY_MAX ? `key is too long (limit: ${META_KEY_MAX} characters)`
      : key.startsWith(META_RESERVED_PREFIX) ? `key prefix "${META_RESERVED_PREFIX}" is reserved for internal use`
      : value.length > META_VALUE_MAX ? `value is too long (limit: ${META_VALUE_MAX} characters)`
      : null;
    if (problem) {
      throw invalidRequest(`invalid ${what} metadata: failed to load metadata pair (${JSON.stringify(key)}, ${JSON.stringify(value)}): ${problem}`);
    }
  }
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f]/;

/** Vault's `custommetadata.Validate` for `custom_metadata` of entity aliases. */
export function checkCustomMetadata(meta: Record<string, string>): void {
  const prefix = 'custom_metadata validation failed';
  const errors: string[] = [];
  const entries = Object.entries(meta);
  if (entries.length > META_MAX_PAIRS) errors.push(`${prefix}: payload must contain at most ${META_MAX_PAIRS} keys, provided ${entries.length}`);
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > META_KEY_MAX) {
      errors.push(`${prefix}: length of key ${JSON.stringify(key)} is ${key.length} but must be 0 < len(key) <= ${META_KEY_MAX}`);
    }
    if (value.length > META_VALUE_MAX) {
      errors.push(`${prefix}: length of value for key ${JSON.stringify(key)} is ${value.length} but must be <= ${META_VALUE_MAX}`);
    }
    if (UNPRINTABLE.test(key)) errors.push(`${prefix}: key ${JSON.stringify(key)} contains unprintable characters`);
    if (UNPRINTABLE.test(value)) errors.push(`${prefix}: value for key ${JSON.stringify(key)} contains unprintable characters`);
  }
  if (errors.length > 0) throw invalidRequest(errors);
}

/** Vault's `RemoveDuplicates`: trimmed, empty items dropped, deduplicated, sorted. Used for entity policies. */
export function sortedUnique(items: readonly string[]): string[] {
  return [...new Set(items.map((i) => i.trim()).filter((i) => i !== ''))].sort();
}

/** Vault's `RemoveDuplicatesStable(…, true)`: order kept, later duplicates in any letter case dropped. Group policies. */
export function stableUniqueIgnoringCase(items: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of items) {
    const key = item.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

/** Identity policies are added to tokens; `root` there would be an escalation, so Vault refuses it. */
export function refuseRoot(policies: readonly string[]): void {
  if (policies.some((p) => p.toLowerCase() === 'root')) throw invalidRequest('policies cannot contain root');
}

/** Vault's generated names: `entity_1a2b3c4d`, `group_1a2b3c4d`. */
export function generatedName(kind: 'entity' | 'group'): string {
  return `${kind}_${randomBytes(4).toString('hex')}`;
}

/** Whether two string maps hold the same pairs; an absent map equals an empty one (Go's nil map). */
export function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ea = Object.entries(a ?? {});
  const mb = b ?? {};
  return ea.length === Object.keys(mb).length && ea.every(([k, v]) => Object.prototype.hasOwnProperty.call(mb, k) && mb[k] === v);
}
