/** What a secret value is replaced with in messages. */
export const SCRUBBED = '[redacted]';

/**
 * Replaces every occurrence of each secret (and its URL-encoded form) in `message`. Secrets shorter than 4 characters
 * are left alone: replacing them would mangle ordinary words and hide nothing worth hiding.
 */
export function scrubSecrets(message: string, secrets: readonly string[]): string {
  let out = message;
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s.length < 4) continue;
    forms.add(s);
    forms.add(encodeURIComponent(s));
  }
  // Longest first, so a secret that contains another is replaced whole.
  for (const s of [...forms].sort((a, b) => b.length - a.length)) out = out.split(s).join(SCRUBBED);
  return out;
}
