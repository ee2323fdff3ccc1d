import { z } from 'zod';
import { defineSecret, type SecretSpec } from '../../framework/index.js';
import { callSignal, type DatabaseBackend } from './backend.js';
import { pluginFailure } from './plugin-errors.js';

/** Vault's secret type for dynamic database credentials. */
export const CREDS_SECRET_TYPE = 'creds';

/** Seconds the database's own expiry runs past the lease's, so the user never expires before Ward revokes it. */
export const EXPIRY_MARGIN_SECONDS = 5;

/**
 * What a credential's lease keeps (encrypted by the barrier) so that its revocation and renewal need neither the role
 * nor the connection to still exist: the connection's name and id (a deleted or re-pointed connection is found in its
 * retired copy), the user, and the role's statements as they were when it was issued.
 */
export const credsInternalSchema = z.object({
  connection: z.string().min(1),
  connectionId: z.string(),
  username: z.string().min(1),
  role: z.string(),
  revocationStatements: z.array(z.string()),
  renewStatements: z.array(z.string()),
});

export type CredsInternal = z.infer<typeof credsInternalSchema>;

/** The `creds` secret: revoke drops the user (idempotently), renew moves its expiry at the database. */
export function credsSecret(b: DatabaseBackend): SecretSpec {
  return defineSecret<CredsInternal>({
    type: CREDS_SECRET_TYPE,
    internal: credsInternalSchema,
    revoke: async (_req, lease) => {
      const i = lease.internal;
      try {
        await b.connections.useForLease(i.connection, i.connectionId, (p) => p.deleteUser({ username: i.username, statements: i.revocationStatements }, callSignal()));
      } catch (err) {
        throw pluginFailure(err, [], 'upstream', `failed to revoke user "${i.username}"`);
      }
    },
    renew: async (_req, lease) => {
      const i = lease.internal;
      const expiresAt = new Date(lease.expireTime + EXPIRY_MARGIN_SECONDS * 1000);
      try {
        await b.connections.useForLease(i.connection, i.connectionId, (p) =>
          p.updateUser({ username: i.username, expiration: { expiresAt, statements: i.renewStatements } }, callSignal()),
        );
      } catch (err) {
        throw pluginFailure(err, [], 'upstream', `failed to renew user "${i.username}"`);
      }
    },
  });
}
