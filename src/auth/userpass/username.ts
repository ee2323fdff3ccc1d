/**
 * Vault's `framework.GenericNameRegex("username")`: ASCII letters, digits, `_`, `-` and `.`, starting and ending
 * with a letter, digit or `_` (so no leading `-`, no leading or trailing `.` — and, as in Vault, no trailing `-`).
 * JavaScript's `\w` without the `u` flag is ASCII-only, like Go's. A name that does not match reaches no path:
 * 404 `unsupported path`, as in Vault.
 */
export const USERNAME_PATTERN = '(?<username>\\w(?:[\\w.-]*\\w)?)';

/** Usernames are case-insensitive: stored, looked up, reported and used as alias name in lowercase. */
export function normaliseUsername(username: string): string {
  return username.toLowerCase();
}
