/**
 * One family of typed errors with stable codes. `http/` maps them to Vault's envelope and status; nothing else
 * branches on message text. Messages are shown to clients: never put a secret value in one.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'permission_denied'
  | 'not_found'
  | 'unsupported_operation'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'sealed'
  | 'not_initialized'
  | 'upstream'
  | 'internal';

export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  invalid_request: 400,
  permission_denied: 403,
  not_found: 404,
  unsupported_operation: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
  not_initialized: 501,
  upstream: 502,
  sealed: 503,
};

export class WardError extends Error {
  readonly code: ErrorCode;
  /** Every message of the envelope's `errors` array (Vault sometimes sends several, or none). */
  readonly messages: string[];
  /** Extra body for the few errors Vault sends with data (kv v2's deleted-version 404). */
  readonly body?: Record<string, unknown>;

  constructor(code: ErrorCode, messages: string | string[], body?: Record<string, unknown>) {
    const list = typeof messages === 'string' ? [messages] : messages;
    super(list.join('; ') || code);
    this.name = 'WardError';
    this.code = code;
    this.messages = list;
    if (body !== undefined) this.body = body;
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}

export const invalidRequest = (msg: string | string[]): WardError => new WardError('invalid_request', msg);
export const permissionDenied = (msg: string | string[] = 'permission denied'): WardError =>
  new WardError('permission_denied', msg);
/** Vault's 404 for "nothing here" is an empty errors list. */
export const notFound = (msg: string | string[] = []): WardError => new WardError('not_found', msg);
export const unsupportedOperation = (msg = 'unsupported operation'): WardError =>
  new WardError('unsupported_operation', msg);
export const sealedError = (): WardError => new WardError('sealed', 'Vault is sealed');
export const internalError = (msg = 'internal error'): WardError => new WardError('internal', msg);
export const upstreamError = (msg: string): WardError => new WardError('upstream', msg);

export function isWardError(err: unknown): err is WardError {
  return err instanceof WardError;
}
