import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  defineSecret,
  definePath,
  field,
  getJSON,
  invalidRequest,
  pattern,
  putJSON,
  rfc3339Nano,
  upstreamError,
  type EngineFactory,
  type EngineRequest,
  type OpenCreation,
  type Storage,
} from '../../framework/index.js';
import { appendEvent } from './state-file.js';

/**
 * `lease-test`: a TEST-ONLY secrets engine that issues leased fake credentials, so the lease machinery (expiry,
 * renewal, revocation, retries, crash safety) can be exercised without a database. It can be told to refuse
 * creation or revocation, to create credentials either before the core records their lease (with a pending record)
 * or only after it (an open creation, as the database engine does), and it can log every credential it creates and
 * revokes to a JSON-lines file that survives `kill -9`. It is registered only when the server starts with
 * `WARD_TEST_ENGINES=1` (see `src/engines/builtin.ts`); it never talks to anything, and the credentials it returns
 * grant nothing. See docs/leases.md.
 */

export const LEASE_TEST_TYPE = 'lease-test';
export const LEASE_TEST_SECRET = 'lease_test_cred';

const HELP = `
**TEST-ONLY ENGINE — do not use in production.** Available only when Ward runs with WARD_TEST_ENGINES=1.

The lease-test engine issues fake leased credentials (a random username and password that open nothing) so that
Ward's lease machinery can be tested without a database: \`roles/<name>\` sets the TTL, max TTL and renewability,
\`creds/<name>\` issues a credential under a lease, \`status/<username>\` and \`LIST revoked/\` tell whether it has been
revoked. \`config\` makes revocation (\`fail_revoke\`) or creation (\`fail_create\`) fail on purpose, and
\`state_file\` names a file where every creation and revocation is appended (JSON lines, fsynced). With
\`pending_records\` (the default) a pending-creation record is kept until the lease is recorded, and credentials whose
creation never completed are revoked at unseal and by the periodic clean-up; \`create_delay_ms\` makes the target slow.
With \`open_creation\` the engine follows the database engine's protocol instead: \`creds/<name>\` leaves the
credential's creation open and creates it only once the core has recorded its lease (nothing at all if the lease cannot
be recorded), so no pending record is needed; \`fail_after_record\` then makes the target fail half-way, after the
credential is live, so the core must revoke the lease it has just recorded.
`;

interface EngineConfig {
  failRevoke: boolean;
  failCreate: boolean;
  stateFile: string;
  /** Milliseconds the target takes to answer after it has created a credential (a slow database). */
  createDelayMs: number;
  /**
   * Keep a pending-creation record from before the credential exists until the core has recorded its lease (the
   * secret's `recorded` hook), and revoke credentials whose creation never completed — the protocol the database
   * engine follows. Off: the engine behaves like a naive one, and a crash between creation and lease leaves a
   * credential behind (crash tests use that as a control).
   */
  pendingRecords: boolean;
  /**
   * Return the credential as an open creation (`secret.creation`, the database engine's protocol): it is created at
   * the target only once the core has recorded the lease, and never if the lease could not be recorded. No pending
   * record is kept then (`pendingRecords` has no effect): a credential never exists without its lease.
   */
  openCreation: boolean;
  /**
   * With `openCreation`: after the lease is recorded the target creates the credential (live) and then fails with an
   * upstream error, so the core must revoke the lease of a half-made credential.
   */
  failAfterRecord: boolean;
}

interface Role {
  ttl: number;
  maxTTL: number;
  renewable: boolean;
}

interface Credential {
  role: string;
  createdAt: number;
  /** 0 while live. */
  revokedAt: number;
  /** The lease that revoked it, when known. */
  revokedBy: string;
}

const CONFIG_KEY = 'config';
const roleKey = (name: string): string => `role/${name}`;
const credKey = (username: string): string => `cred/${username}`;
const revokedKey = (username: string): string => `revoked/${username}`;
const pendingKey = (username: string): string => `pending/${username}`;

const internalSchema = z.object({ username: z.string().min(1) });

const roleFields = {
  name: field.string({ required: true, description: 'Name of the role.' }),
  ttl: field.duration({ description: 'TTL of the leases of credentials issued under this role (0 = mount/system default).' }),
  max_ttl: field.duration({ description: 'Maximum lifetime of those leases, renewals included (0 = mount/system max).' }),
  renewable: field.bool({ description: 'Whether the leases can be renewed (default true).' }),
};

const configFields = {
  fail_revoke: field.bool({ description: 'While true, every revocation throws (the expiration manager then retries).' }),
  fail_create: field.bool({ description: 'While true, creds/<name> fails before creating anything.' }),
  state_file: field.string({ description: 'Path of a JSON-lines file to which every creation and revocation is appended and fsynced ("" = none).' }),
  create_delay_ms: field.int({ description: 'Milliseconds creds/<name> waits after creating the credential before answering (a slow target; 0 = none).' }),
  pending_records: field.bool({ description: 'Keep a pending-creation record until the lease is recorded, and revoke credentials whose creation never completed (default true; no effect with open_creation).' }),
  open_creation: field.bool({
    description: 'Return the credential as an open creation (the database engine\'s protocol): it is created only after the core has recorded its lease, and not at all if that fails (default false).',
  }),
  fail_after_record: field.bool({
    description: 'With open_creation: once the lease is recorded, the target creates the credential (live) and then fails with a 502, so the core must revoke that lease (default false).',
  }),
};

/** A pending creation older than this is abandoned by the periodic clean-up (at unseal, every one is). */
const PENDING_GRACE_MS = 60_000;

/** The lease-test engine (mount type `lease-test`). */
export const leaseTestEngine: EngineFactory = {
  type: LEASE_TEST_TYPE,
  kind: 'secret',
  create(ctx) {
    // The engine is the only writer of its own storage while it is mounted, so the config can live in memory.
    let config: EngineConfig = { failRevoke: false, failCreate: false, stateFile: '', createDelayMs: 0, pendingRecords: true, openCreation: false, failAfterRecord: false };
    const storage: Storage = ctx.storage;
    const record = (ev: Parameters<typeof appendEvent>[1]): void => {
      if (config.stateFile !== '') appendEvent(config.stateFile, ev);
    };

    const readRole = async (s: Storage, name: string): Promise<Role | null> => getJSON<Role>(s, roleKey(name));

    const revoke = async (req: EngineRequest, lease: { leaseId: string; internal: { username: string } }): Promise<void> => {
      if (config.failRevoke) {
        throw new Error(`lease-test: the target refused to revoke ${lease.internal.username} (fail_revoke is set)`);
      }
      const username = lease.internal.username;
      const cred = await getJSON<Credential>(req.storage, credKey(username));
      if (!cred) {
        // Unknown credential: nothing to destroy (idempotent). Logged so a crash test can spot a lease that pointed
        // at nothing. Revocation of untracked credentials costs one read and no write (bench/leases.ts uses that).
        record({ event: 'revoked', id: username, lease_id: lease.leaseId, found: false, time: req.system.now() });
        return;
      }
      if (cred.revokedAt > 0) {
        record({ event: 'revoked', id: username, lease_id: lease.leaseId, found: true, already: true, time: req.system.now() });
        return;
      }
      await destroy(req.storage, username, cred, lease.leaseId, req.system.now());
    };

    /**
     * Revokes a live credential at the target. The target's revocation comes first (the state file), then the
     * engine's own bookkeeping: a crash between the two leaves the lease (or the pending record) in place, and the
     * next attempt revokes again, harmlessly.
     */
    const destroy = async (s: Storage, username: string, cred: Credential, by: string, now: number): Promise<void> => {
      record({ event: 'revoked', id: username, ...(by.startsWith('pending:') ? { pending: true } : { lease_id: by }), found: true, time: now });
      await s.batch([
        { op: 'put', key: credKey(username), value: Buffer.from(JSON.stringify({ ...cred, revokedAt: now, revokedBy: by } satisfies Credential)) },
        { op: 'put', key: revokedKey(username), value: Buffer.alloc(0) },
        { op: 'delete', key: pendingKey(username) },
      ]);
    };

    /**
     * Revokes credentials whose creation never completed: the server stopped between creating one and recording its
     * lease, so no client has it and nothing else would ever revoke it. `all`: every pending record (at unseal, none
     * can belong to a request still running); otherwise only those older than the grace period.
     */
    const cleanUpPending = async (all: boolean): Promise<void> => {
      const now = ctx.system.now();
      for (const username of await storage.list('pending/')) {
        if (username.endsWith('/')) continue;
        const pending = await getJSON<{ createdAt: number }>(storage, pendingKey(username));
        if (!pending || (!all && now - pending.createdAt < PENDING_GRACE_MS)) continue;
        const cred = await getJSON<Credential>(storage, credKey(username));
        if (cred && cred.revokedAt === 0) await destroy(storage, username, cred, 'pending: creation never completed', now);
        else await storage.delete(pendingKey(username));
        ctx.logger.info({ username }, 'lease-test: revoked a credential whose creation never completed');
      }
    };

    /**
     * The engine's half of an open creation: `leaseRecorded(null)` creates the credential (storage, then the state
     * file's "created" event), `leaseRecorded(err)` abandons it with nothing created. `created` settles once the
     * target has answered; with `failAfterRecord` it rejects after the credential has been made live, as a target
     * that fails half-way would. The flags are those of the request's time, not of when the core answers.
     */
    const openCreation = (req: EngineRequest, username: string, role: string, failAfterRecord: boolean, delayMs: number): OpenCreation => {
      let settle: (err: Error | null) => void = () => undefined;
      const recorded = new Promise<void>((resolve, reject) => {
        let done = false;
        settle = (err) => {
          if (done) return; // the core settles it once; anything later is ignored, as the contract allows
          done = true;
          if (err) reject(err);
          else resolve();
        };
      });
      const created = recorded.then(async () => {
        const now = req.system.now();
        const cred: Credential = { role, createdAt: now, revokedAt: 0, revokedBy: '' };
        await req.storage.put(credKey(username), Buffer.from(JSON.stringify(cred)));
        record({ event: 'created', id: username, time: now });
        if (failAfterRecord) throw upstreamError(`lease-test: the target failed after creating ${username} (fail_after_record is set)`);
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      });
      created.catch(() => undefined); // the core observes it; never an unhandled rejection if it does not
      return { leaseRecorded: (err) => settle(err), created };
    };

    return {
      help: HELP,
      async init() {
        const stored = await getJSON<EngineConfig>(storage, CONFIG_KEY);
        if (stored) config = { ...config, ...stored };
        await cleanUpPending(true);
      },
      periodic: () => cleanUpPending(false),
      secrets: [
        defineSecret({
          type: LEASE_TEST_SECRET,
          internal: internalSchema,
          revoke,
          // Committed with the lease: from then on it, not the pending record, stands for the credential.
          recordedWrites: (lease) => [{ op: 'delete', key: pendingKey(lease.internal.username) }],
          renew: async (req, lease) => {
            const cred = await getJSON<Credential>(req.storage, credKey(lease.internal.username));
            if (cred && cred.revokedAt > 0) throw invalidRequest(`lease-test: credential ${lease.internal.username} has been revoked`);
          },
        }),
      ],
      paths: [
        definePath({
          pattern: 'config',
          synopsis: 'TEST-ONLY: makes creation or revocation fail on purpose, chooses the creation protocol, and names the state file.',
          fields: configFields,
          operations: {
            read: async () => ({
              data: {
                fail_revoke: config.failRevoke,
                fail_create: config.failCreate,
                state_file: config.stateFile,
                create_delay_ms: config.createDelayMs,
                pending_records: config.pendingRecords,
                open_creation: config.openCreation,
                fail_after_record: config.failAfterRecord,
              },
            }),
            update: async (req, f) => {
              const next: EngineConfig = {
                failRevoke: f.fail_revoke ?? config.failRevoke,
                failCreate: f.fail_create ?? config.failCreate,
                stateFile: f.state_file ?? config.stateFile,
                createDelayMs: f.create_delay_ms ?? config.createDelayMs,
                pendingRecords: f.pending_records ?? config.pendingRecords,
                openCreation: f.open_creation ?? config.openCreation,
                failAfterRecord: f.fail_after_record ?? config.failAfterRecord,
              };
              if (next.createDelayMs < 0 || next.createDelayMs > 60_000) throw invalidRequest('create_delay_ms must be between 0 and 60000');
              await putJSON(req.storage, CONFIG_KEY, next);
              config = next;
              return null;
            },
          },
        }),
        definePath({
          pattern: 'roles/?',
          synopsis: 'TEST-ONLY: lists the roles.',
          fields: {},
          operations: {
            list: async (req) => {
              const keys = await req.storage.list('role/');
              return keys.length === 0 ? null : { data: { keys } };
            },
          },
        }),
        definePath({
          pattern: `roles/${pattern.name('name')}`,
          synopsis: 'TEST-ONLY: TTL, max TTL and renewability of the credentials issued under a role.',
          fields: roleFields,
          existenceCheck: async (req, f) => (await readRole(req.storage, f.name)) !== null,
          operations: {
            read: async (req, f) => {
              const role = await readRole(req.storage, f.name);
              return role ? { data: { ttl: role.ttl, max_ttl: role.maxTTL, renewable: role.renewable } } : null;
            },
            update: async (req, f) => {
              const current = (await readRole(req.storage, f.name)) ?? { ttl: 0, maxTTL: 0, renewable: true };
              const role: Role = { ttl: f.ttl ?? current.ttl, maxTTL: f.max_ttl ?? current.maxTTL, renewable: f.renewable ?? current.renewable };
              await putJSON(req.storage, roleKey(f.name), role);
              return null;
            },
            delete: async (req, f) => {
              await req.storage.delete(roleKey(f.name));
              return null;
            },
          },
        }),
        definePath({
          pattern: `creds/${pattern.name('name')}`,
          synopsis: 'TEST-ONLY: issues a fake leased credential under a role.',
          fields: {
            name: field.string({ required: true, description: 'Name of the role.' }),
            ttl: field.duration({ description: 'Requested TTL (0 = the role TTL).' }),
          },
          operations: {
            read: async (req, f) => {
              const role = await readRole(req.storage, f.name);
              if (!role) throw invalidRequest(`unknown role: ${f.name}`);
              if (config.failCreate) throw upstreamError('lease-test: the target refused to create a credential (fail_create is set)');
              const username = `lt-${f.name.slice(0, 20)}-${randomBytes(8).toString('hex')}`;
              const password = randomBytes(18).toString('base64url');
              const secret = { type: LEASE_TEST_SECRET, internal: { username }, ttl: f.ttl || role.ttl, maxTTL: role.maxTTL, renewable: role.renewable };
              if (config.openCreation) {
                // Nothing exists yet: the credential is created once the core has recorded the lease.
                return { data: { username, password }, secret: { ...secret, creation: openCreation(req, username, f.name, config.failAfterRecord, config.createDelayMs) } };
              }
              const now = req.system.now();
              const cred: Credential = { role: f.name, createdAt: now, revokedAt: 0, revokedBy: '' };
              // The pending record is durable before the credential exists at the "target" (the state file); it is
              // dropped once the core has recorded the lease, so a crash in between is cleaned up at the next unseal.
              await req.storage.batch([
                { op: 'put', key: credKey(username), value: Buffer.from(JSON.stringify(cred)) },
                ...(config.pendingRecords ? [{ op: 'put' as const, key: pendingKey(username), value: Buffer.from(JSON.stringify({ createdAt: now })) }] : []),
              ]);
              record({ event: 'created', id: username, time: now });
              if (config.createDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.createDelayMs));
              return { data: { username, password }, secret };
            },
          },
        }),
        definePath({
          pattern: `status/${pattern.rest('username')}`,
          synopsis: 'TEST-ONLY: whether a credential is still live at the target.',
          fields: { username: field.string({ required: true }) },
          operations: {
            read: async (req, f) => {
              const cred = await getJSON<Credential>(req.storage, credKey(f.username));
              if (!cred) return null;
              return {
                data: {
                  username: f.username,
                  role: cred.role,
                  live: cred.revokedAt === 0,
                  pending: (await req.storage.get(pendingKey(f.username))) !== null,
                  created_time: rfc3339Nano(cred.createdAt),
                  revoked_time: cred.revokedAt > 0 ? rfc3339Nano(cred.revokedAt) : null,
                  revoked_by: cred.revokedBy || null,
                },
              };
            },
          },
        }),
        definePath({
          pattern: 'revoked/?',
          synopsis: 'TEST-ONLY: lists the usernames of revoked credentials.',
          fields: {},
          operations: {
            list: async (req) => {
              const keys = await req.storage.list('revoked/');
              return keys.length === 0 ? null : { data: { keys } };
            },
          },
        }),
      ],
    };
  },
};
