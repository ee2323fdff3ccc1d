/**
 * Vault's allowed_roles check on a connection: `*` allows every role; otherwise a role must equal an entry or match
 * it as a glob where `*` stands for any run of characters (strutil.StrListContainsGlob). An empty list allows none.
 */
export function isRoleAllowed(allowedRoles: readonly string[], role: string): boolean {
  return allowedRoles.some((pattern) => pattern === '*' || pattern === role || globMatch(pattern, role));
}

function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return false;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(value);
}
