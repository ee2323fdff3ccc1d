/** Trimmed, lowercased, without empty names or duplicates, sorted. */
function normalise(policies: readonly string[]): string[] {
  return [...new Set(policies.map((p) => p.trim().toLowerCase()).filter((p) => p !== ''))].sort();
}

/**
 * Vault's `policyutil.ParsePolicies` (used by `users/:username/policies`): normalised names; `root` anywhere
 * means just `root`.
 */
export function sanitizePolicies(policies: readonly string[]): string[] {
  const names = normalise(policies);
  return names.includes('root') ? ['root'] : names;
}

/**
 * Vault's `policyutil.EquivalentPolicies`: the same set of names once normalised, ignoring `default` (which the
 * core may have added to the token on its own).
 */
export function equivalentPolicies(a: readonly string[], b: readonly string[]): boolean {
  const x = normalise(a).filter((p) => p !== 'default');
  const y = normalise(b).filter((p) => p !== 'default');
  return x.length === y.length && x.every((p, i) => p === y[i]);
}
