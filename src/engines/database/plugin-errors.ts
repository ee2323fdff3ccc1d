import { WardError, isWardError, type ErrorCode } from '../../framework/index.js';
import { scrubSecrets } from './scrub.js';

/**
 * A plugin's failure as the client sees it, scrubbed of every secret value involved (the root password, the new
 * password). A plugin that throws a WardError chose its status; anything else gets `code` (by default `upstream`,
 * 502: the database refused or failed).
 */
export function pluginFailure(err: unknown, secrets: readonly string[], code: ErrorCode = 'upstream', prefix = ''): WardError {
  const lead = prefix === '' ? '' : `${prefix}: `;
  if (isWardError(err)) return new WardError(err.code, err.messages.map((m) => scrubSecrets(lead + m, secrets)));
  const message = err instanceof Error ? err.message : String(err);
  return new WardError(code, scrubSecrets(lead + message, secrets));
}

/** The message of any thrown value, scrubbed (for logs and lease errors). */
export function scrubbedMessage(err: unknown, secrets: readonly string[]): string {
  if (isWardError(err)) return scrubSecrets(err.messages.join('; '), secrets);
  return scrubSecrets(err instanceof Error ? err.message : String(err), secrets);
}
