/** §3.5: `token-` + the given name with every character outside [A-Za-z0-9-] turned into `-`, one trailing `-` trimmed. */
export function tokenDisplayName(given: string | undefined): string {
  if (!given) return 'token';
  return `token-${given}`.replace(/[^A-Za-z0-9-]/g, '-').replace(/-$/, '');
}

/** §3.5: a login's display name: the mount path without `auth/`, `/` → `-`, then the method's name. */
export function loginDisplayName(authMountPath: string, name: string): string {
  const mount = authMountPath.replace(/^auth\//, '').replace(/\//g, '-');
  return `${mount}${name}`.replace(/-$/, '');
}
