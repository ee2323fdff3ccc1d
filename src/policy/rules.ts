import { parseDurationSeconds } from '../lib/duration.js';
import { Cap, LEGACY_POLICY, isCapabilityName } from './capabilities.js';
import { templateSyntaxError } from './template.js';
import type { PathRule } from './types.js';

/**
 * Turns the generic tree of a parsed policy (hcl2json's output, or the JSON document) into validated path rules.
 * Everything Vault refuses is refused here, plus a few things Vault silently accepts but that would make a policy
 * mean something else than it says (see docs/policies.md, "Differences from Vault").
 */

/** A policy that parsed as HCL/JSON but is not a valid policy. `label` is the path block it concerns, if any. */
export class PolicyShapeError extends Error {
  constructor(
    message: string,
    readonly label?: string,
  ) {
    super(message);
    this.name = 'PolicyShapeError';
  }
}

export type Syntax = 'hcl' | 'json';

const BLOCK_KEYS = new Set([
  'capabilities',
  'policy',
  'allowed_parameters',
  'denied_parameters',
  'required_parameters',
  'min_wrapping_ttl',
  'max_wrapping_ttl',
  // Vault accepts a free-text comment in a path block; so does Ward, and ignores it.
  'comment',
]);

// Enterprise-only keys. Ignoring them would drop a requirement (MFA, approvals) the author relies on, so they fail.
const ENTERPRISE_KEYS = new Set(['mfa_methods', 'control_group', 'subscribe_event_types']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a map';
  return JSON.stringify(value);
}

/** All path rules of a policy document. */
export function rulesFromTree(tree: unknown, syntax: Syntax): PathRule[] {
  if (!isRecord(tree)) throw new PolicyShapeError('a policy must be a JSON object with a "path" key');
  const rules: PathRule[] = [];
  for (const [key, value] of Object.entries(tree)) {
    if (key === 'name') continue; // Vault accepts a top-level name and ignores it: the URL names the policy.
    if (key !== 'path') throw new PolicyShapeError(`invalid key "${key}": a policy holds only "path" blocks`);
    for (const [label, body] of pathBlocks(value, syntax)) rules.push(ruleFromBlock(label, body, syntax));
  }
  return rules;
}

/** The (label, body) pairs of the `path` key, whichever shape the syntax gave it. */
function pathBlocks(value: unknown, syntax: Syntax): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  // JSON written for Vault's HCL1 parser may list the blocks: {"path": [{"a/*": {...}}, {"b": {...}}]}.
  const groups = Array.isArray(value) && syntax === 'json' ? value : [value];
  for (const group of groups) {
    if (!isRecord(group)) {
      throw new PolicyShapeError(
        syntax === 'json' ? '"path" must map patterns to blocks: {"path": {"<pattern>": {...}}}' : 'a path block needs exactly one label: path "<pattern>" { ... }',
      );
    }
    for (const [label, body] of Object.entries(group)) {
      // hcl2json nests a second label as a map (`path "a" "b" {}` → {a: {b: [...]}}); a body is always a list there.
      if (syntax === 'hcl' && !Array.isArray(body)) {
        throw new PolicyShapeError(`path "${label}": a path block takes exactly one label`, label);
      }
      for (const one of Array.isArray(body) ? body : [body]) out.push([label, one]);
    }
  }
  return out;
}

function ruleFromBlock(label: string, body: unknown, syntax: Syntax): PathRule {
  const fail = (message: string): never => {
    throw new PolicyShapeError(`path "${label}": ${message}`, label);
  };
  if (!isRecord(body)) return fail(`expected a block of settings, got ${describe(body)}`);
  for (const key of Object.keys(body)) {
    if (ENTERPRISE_KEYS.has(key)) fail(`"${key}" is a Vault Enterprise feature that Ward does not support`);
    else if (!BLOCK_KEYS.has(key)) fail(`invalid key "${key}"`);
  }

  const path = validatePattern(label.startsWith('/') ? label.slice(1) : label, fail);
  const rule: PathRule = { path, capabilities: capabilityMask(body, fail, syntax), minWrappingTTL: 0, maxWrappingTTL: 0 };

  if (body.allowed_parameters !== undefined) rule.allowedParameters = parameterMap(body.allowed_parameters, 'allowed_parameters', fail);
  if (body.denied_parameters !== undefined) rule.deniedParameters = parameterMap(body.denied_parameters, 'denied_parameters', fail);
  if (body.required_parameters !== undefined) rule.requiredParameters = requiredList(body.required_parameters, fail);
  rule.minWrappingTTL = wrappingTTL(body.min_wrapping_ttl, 'min_wrapping_ttl', fail);
  rule.maxWrappingTTL = wrappingTTL(body.max_wrapping_ttl, 'max_wrapping_ttl', fail);
  if (rule.minWrappingTTL > 0 && rule.maxWrappingTTL > 0 && rule.maxWrappingTTL < rule.minWrappingTTL) {
    fail('max_wrapping_ttl cannot be less than min_wrapping_ttl');
  }
  // Vault keeps nothing but deny in a denying block: no parameter rules, no wrapping bounds.
  if (rule.capabilities & Cap.deny) return { path, capabilities: Cap.deny, minWrappingTTL: 0, maxWrappingTTL: 0 };
  return rule;
}

function validatePattern(path: string, fail: (m: string) => never): string {
  const star = path.indexOf('*');
  if (star >= 0 && star !== path.length - 1) {
    // Vault would take such a `*` literally, which is never what the author meant.
    fail('"*" is only allowed as the last character of a path');
  }
  if (path.includes('+*')) fail("invalid use of wildcards ('+*' is forbidden)");
  const templateProblem = templateSyntaxError(path);
  if (templateProblem) fail(`failed to validate policy templating: ${templateProblem}`);
  return path;
}

function capabilityMask(body: Record<string, unknown>, fail: (m: string) => never, syntax: Syntax): number {
  const names: string[] = [];
  const caps = body.capabilities;
  if (caps !== undefined) {
    if (!Array.isArray(caps)) fail(`capabilities must be a list of strings, got ${describe(caps)}`);
    for (const c of caps as unknown[]) {
      if (typeof c !== 'string') fail(`capabilities must be a list of strings, got ${describe(c)} in it`);
      names.push(c as string);
    }
  }
  const legacy = body.policy;
  if (legacy !== undefined) {
    const mapped = typeof legacy === 'string' ? LEGACY_POLICY[legacy] : undefined;
    if (!mapped) fail(`invalid policy ${describe(legacy)}: expected "deny", "read", "write" or "sudo"`);
    names.push(...(mapped as readonly string[]));
  }
  let mask = 0;
  for (const name of names) {
    if (!isCapabilityName(name)) {
      const hint = syntax === 'hcl' && name.startsWith('${') ? ' (quote it: HCL expressions are not evaluated)' : '';
      fail(`invalid capability ${JSON.stringify(name)}${hint}`);
    }
    mask |= Cap[name as keyof typeof Cap];
  }
  return mask & Cap.deny ? Cap.deny : mask;
}

/** `{ key = [values] }`, or HCL's block form `key { ... }` which hcl2json gives as a list of maps. */
function parameterMap(value: unknown, key: string, fail: (m: string) => never): Record<string, unknown[]> {
  const maps = Array.isArray(value) ? value : [value];
  const out: Record<string, unknown[]> = {};
  for (const map of maps) {
    if (!isRecord(map)) fail(`${key} must be a map of parameter names to lists of values, got ${describe(map)}`);
    for (const [name, values] of Object.entries(map as Record<string, unknown>)) {
      if (!Array.isArray(values)) fail(`${key}: parameter "${name}" must map to a list of values (use [] for any value), got ${describe(values)}`);
      const list = values as unknown[];
      if (name.includes('*') && name !== '*') fail(`${key}: parameter key "${name}" cannot contain wildcards other than a lone "*"`);
      // `"*" = [...]` would read as "any key with these values", but Vault ignores the values: refuse the misreading.
      if (name === '*' && !(list.length === 0 || (key === 'allowed_parameters' && list.every((v) => v === '*')))) {
        fail(`${key}: "*" only takes an empty list ("*" = [])`);
      }
      // Keys compare case-insensitively, as in Vault; an empty list ("any value") absorbs any other list.
      const lower = name.toLowerCase();
      const prev = out[lower];
      out[lower] = prev === undefined ? [...list] : prev.length === 0 || list.length === 0 ? [] : [...prev, ...list];
    }
  }
  return out;
}

function requiredList(value: unknown, fail: (m: string) => never): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    return fail(`required_parameters must be a list of parameter names, got ${describe(value)}`);
  }
  for (const name of value as string[]) {
    if (name.includes('*')) fail(`required_parameters: parameter key "${name}": wildcard is not permitted here`);
  }
  return value as string[];
}

function wrappingTTL(value: unknown, key: string, fail: (m: string) => never): number {
  if (value === undefined || value === null) return 0;
  try {
    return parseDurationSeconds(value, key);
  } catch (err) {
    return fail(`error parsing ${key}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
