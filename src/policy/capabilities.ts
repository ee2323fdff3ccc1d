/**
 * Capabilities as a bitmask, as Vault keeps them (`vault/policy.go`): merging policies is an OR, and a check is an
 * AND, which keeps the hot path of every request free of string comparisons.
 */
export const Cap = {
  deny: 1 << 0,
  create: 1 << 1,
  read: 1 << 2,
  update: 1 << 3,
  delete: 1 << 4,
  list: 1 << 5,
  sudo: 1 << 6,
  patch: 1 << 7,
} as const;

/** A capability a policy may grant (`root` is not one: it is the built-in policy, never written in a path block). */
export type CapabilityName = keyof typeof Cap;

export const CAPABILITY_NAMES = Object.keys(Cap) as CapabilityName[];

/** Whether `name` is a capability a policy may name. */
export function isCapabilityName(name: string): name is CapabilityName {
  return Object.prototype.hasOwnProperty.call(Cap, name);
}

/**
 * The legacy `policy = "..."` key of pre-0.5 Vault policies, mapped as Vault maps it: `read` includes `list`, and
 * `write` includes everything but `sudo` and `patch` (patch did not exist when the mapping was frozen).
 */
export const LEGACY_POLICY: Readonly<Record<string, readonly CapabilityName[]>> = {
  deny: ['deny'],
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
};

/** The bitmask as sorted capability names; an empty or deny mask is `['deny']`, as `sys/capabilities` reports it. */
export function capabilityNames(mask: number): string[] {
  if (mask & Cap.deny || mask === 0) return ['deny'];
  return CAPABILITY_NAMES.filter((name) => name !== 'deny' && (mask & Cap[name]) !== 0).sort();
}
