import type { CoreResponse } from '../core/request.js';
import type { Operation } from '../framework/types.js';
import type { WardError } from '../lib/errors.js';

/** Routes whose `data` keys are also copied to the top level of the body (spec §1.7: node-vault reads them there). */
const INJECT = [
  /^sys\/audit(\/.*)?$/, /^sys\/audit-hash\/.+$/, /^sys\/auth(\/.*)?$/, /^sys\/capabilities(-accessor|-self)?$/,
  /^sys\/config\/cors$/, /^sys\/config\/auditing\/request-headers.*$/, /^sys\/key-status$/, /^sys\/mounts(\/.*)?$/,
  /^sys\/policy(\/.*)?$/, /^sys\/rekey\/(backup|recovery-key-backup)$/, /^sys\/remount$/, /^sys\/rotate$/, /^sys\/wrapping\/wrap$/,
];

export interface Rendered {
  status: number;
  contentType?: string;
  body?: string | Buffer;
}

const json = (status: number, body: unknown): Rendered => ({ status, contentType: 'application/json', body: JSON.stringify(body) });

export function renderError(err: WardError): Rendered {
  return json(err.status, { ...(err.body ?? {}), errors: err.messages });
}

/** Turns the core's answer into Vault's envelope (§1.4), or the raw/empty forms Vault uses. */
export function renderResponse(requestId: string, path: string, operation: Operation, resp: CoreResponse | null): Rendered {
  if (resp === null) return operation === 'read' || operation === 'list' || operation === 'help' ? json(404, { errors: [] }) : { status: 204 };
  if (resp.raw) return { status: resp.raw.status, contentType: resp.raw.contentType, body: resp.raw.body };
  if (resp.wrapInfo) {
    return json(200, { request_id: requestId, lease_id: '', renewable: false, lease_duration: 0, data: null, wrap_info: resp.wrapInfo, warnings: null, auth: null, mount_type: resp.mountType ?? '' });
  }
  const data = resp.data ?? null;
  if (operation === 'list') {
    const keys = data?.keys;
    if (!Array.isArray(keys) || keys.length === 0) return json(404, { errors: [] });
  }
  const warnings = resp.warnings && resp.warnings.length > 0 ? resp.warnings : null;
  // Vault answers 204 when a write returns nothing to show (an empty data map counts as nothing).
  const empty = data === null || (operation !== 'read' && Object.keys(data).length === 0);
  if (empty && !resp.issuedAuth && !resp.leaseId && warnings === null && resp.httpStatus === undefined) return { status: 204 };
  const body: Record<string, unknown> = {
    request_id: requestId,
    lease_id: resp.leaseId ?? '',
    renewable: resp.renewable ?? false,
    lease_duration: resp.leaseDuration ?? 0,
    data,
    wrap_info: null,
    warnings,
    auth: resp.issuedAuth ?? null,
    mount_type: resp.mountType ?? '',
  };
  // Ward's lease timeline (extra fields: Vault clients ignore them).
  if (resp.leaseTimeline) Object.assign(body, resp.leaseTimeline);
  // Every INJECT route is under sys/: other responses skip the pattern tests.
  if (data && path.startsWith('sys/') && INJECT.some((re) => re.test(path))) {
    for (const [k, v] of Object.entries(data)) if (!(k in body)) body[k] = v;
  }
  return json(resp.httpStatus ?? 200, body);
}
