import type { LeaseRecord } from '../expiration/lease-record.js';
import type { AuditAuthInput, AuditResponseInput } from './types.js';

/** The request that forced the removal (sys/leases/revoke-force/...), as far as the entry needs it. */
export interface ForcingRequest {
  id: string;
  path: string;
  remoteAddress?: string;
  auth?: AuditAuthInput;
}

/**
 * A response entry recording one credential that `revoke-force` abandoned: the lease was removed without the
 * engine revoking what it issued, so the credential may still work. The entry names the lease (plaintext, as
 * `secret.lease_id` always is, with mount, type and times in a warning) and carries the engine's internal data (the
 * username, …) hashed like any data, so an operator can confirm a suspect value with `sys/audit-hash`. The last
 * revocation error is hashed too: it comes from the target system and may quote what it was given.
 */
export function abandonedLeaseInput(req: ForcingRequest, rec: Pick<LeaseRecord, 'id' | 'mountPath' | 'secretType' | 'internal' | 'issueTime' | 'entityId' | 'requestId' | 'tokenAccessor' | 'lastError' | 'state'>): AuditResponseInput {
  return {
    id: req.id,
    operation: 'update',
    path: req.path,
    mountType: 'system',
    mountPoint: 'sys/',
    remoteAddress: req.remoteAddress ?? '',
    ...(req.auth ? { auth: req.auth } : {}),
    error: 'lease removed without revoking its credential (revoke-force)',
    response: {
      secret: { leaseId: rec.id },
      // Warnings are written as is: only identifiers and times here, never values.
      warnings: [
        `lease ${rec.id} (${rec.secretType} at ${rec.mountPath}, issued ${new Date(rec.issueTime).toISOString()} by request ${rec.requestId}` +
          `${rec.entityId ? ` for entity ${rec.entityId}` : ''}, state ${rec.state}) was removed without revoking its credential`,
      ],
      data: { ...rec.internal, last_error: rec.lastError, token_accessor: rec.tokenAccessor },
    },
  };
}
