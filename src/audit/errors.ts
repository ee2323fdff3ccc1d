import { WardError } from '../lib/errors.js';

/**
 * No enabled device could write an entry: the request is refused (fail closed). Clients see Vault's text for this
 * case, a 500 with `internal error`; the log says which devices failed and why.
 */
export class AuditFailureError extends WardError {
  /** `request` or `response`: which entry could not be written. */
  readonly kind: 'request' | 'response';

  constructor(kind: 'request' | 'response') {
    super('internal', 'internal error');
    this.name = 'AuditFailureError';
    this.kind = kind;
  }
}

export function isAuditFailure(err: unknown): err is AuditFailureError {
  return err instanceof AuditFailureError;
}
