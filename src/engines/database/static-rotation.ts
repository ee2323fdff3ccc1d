import { internalError, rfc3339Nano } from '../../framework/index.js';
import { isRoleAllowed } from './allowed-roles.js';
import { callSignal, type DatabaseBackend } from './backend.js';
import { readConnection } from './connection-store.js';
import { parseCron } from './cron.js';
import { generatePassword } from './passwords.js';
import { pluginFailure, scrubbedMessage } from './plugin-errors.js';
import { listStaticRoles, passwordPolicyOf, readStaticRole, writeStaticRole, type StaticRole } from './role-store.js';
import { deleteWal, getWal, listWal, putWal, type StaticRotationWal } from './wal.js';

/** How long after a failed rotation the periodic pass tries again. */
export const STATIC_RETRY_MS = 10_000;

/** When the rotation after `fromMs` is due: the period later, or the schedule's next time. */
export function nextRotation(role: Pick<StaticRole, 'rotationPeriod' | 'rotationSchedule'>, fromMs: number): number {
  if (role.rotationPeriod > 0) return fromMs + role.rotationPeriod * 1000;
  return parseCron(role.rotationSchedule).next(fromMs);
}

/**
 * Whether a static role should rotate at `now`: `rotate` when due (and, for a schedule with a window, still inside
 * the window), `missed` when a schedule's window passed (the rotation moves to the next scheduled time), else `wait`.
 */
export function rotationState(role: StaticRole, now: number): 'rotate' | 'wait' | 'missed' {
  if (now < role.nextVaultRotation) return 'wait';
  if (role.rotationPeriod === 0 && role.rotationWindow > 0 && now >= role.nextVaultRotation + role.rotationWindow * 1000) return 'missed';
  return 'rotate';
}

/** Seconds until the next rotation (never negative). */
export function credentialTTL(role: StaticRole, now: number): number {
  return Math.max(0, Math.round((role.nextVaultRotation - now) / 1000));
}

/** The rotation fields of a static role as reads show them. */
export function rotationData(role: StaticRole): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (role.lastVaultRotation > 0) data.last_vault_rotation = rfc3339Nano(role.lastVaultRotation);
  if (role.rotationPeriod > 0) data.rotation_period = role.rotationPeriod;
  else {
    data.rotation_schedule = role.rotationSchedule;
    if (role.rotationWindow > 0) data.rotation_window = role.rotationWindow;
  }
  return data;
}

/**
 * Sets a new password for a static role's user and stores it. A write-ahead record holds the new password first; if
 * the change fails or its outcome is unknown, the record stays and the next attempt sets that same password again,
 * so the database and Ward converge whatever happened. Call under the role's lock. Returns the stored role.
 */
export async function rotateStatic(b: DatabaseBackend, name: string, role: StaticRole): Promise<StaticRole> {
  const conn = await readConnection(b.storage, role.dbName);
  if (!conn) throw internalError(`failed to find entry for connection with name: "${role.dbName}"`);
  if (!isRoleAllowed(conn.allowedRoles, name)) throw internalError(`"${name}" is not an allowed role`);
  const walId = encodeURIComponent(name);
  const pending = await getWal<StaticRotationWal>(b.storage, 'static', walId);
  let password: string;
  if (pending && pending.username === role.username) password = pending.newPassword;
  else {
    password = await generatePassword(b.system, passwordPolicyOf(role, conn.passwordPolicy));
    await putWal(b.storage, 'static', walId, { role: name, username: role.username, newPassword: password, createdAt: b.system.now() });
  }
  try {
    await b.connections.use(role.dbName, (p) => p.updateUser({ username: role.username, password: { newPassword: password, statements: role.rotationStatements } }, callSignal()));
  } catch (err) {
    throw pluginFailure(err, [password], 'upstream', 'unable to rotate credentials');
  }
  const now = b.system.now();
  const next: StaticRole = { ...role, password, lastVaultRotation: now, nextVaultRotation: nextRotation(role, now) };
  await writeStaticRole(b.storage, name, next);
  await deleteWal(b.storage, 'static', walId);
  b.staticRetryAt.delete(name);
  return next;
}

/** Forgets the write-ahead record of a static role (role deleted, or its creation failed). */
export async function forgetStaticWal(b: DatabaseBackend, name: string): Promise<void> {
  await deleteWal(b.storage, 'static', encodeURIComponent(name));
}

/**
 * The periodic pass: rotates every static role that is due (or has an unfinished rotation), moves schedules whose
 * window was missed, backs off after failures, and drops records of roles that no longer exist.
 */
export async function rotateDueStaticRoles(b: DatabaseBackend): Promise<void> {
  const now = b.system.now();
  const pending = new Set((await listWal(b.storage, 'static')).map((id) => decodeURIComponent(id)));
  for (const name of await listStaticRoles(b.storage)) {
    if ((b.staticRetryAt.get(name) ?? 0) > now) continue;
    await b.roleLocks.run(name, async () => {
      const role = await readStaticRole(b.storage, name);
      if (!role) return;
      const state = rotationState(role, now);
      if (state === 'missed') {
        await writeStaticRole(b.storage, name, { ...role, nextVaultRotation: nextRotation(role, now) });
        return;
      }
      if (state === 'wait' && !pending.has(name)) return;
      try {
        await rotateStatic(b, name, role);
      } catch (err) {
        b.staticRetryAt.set(name, now + STATIC_RETRY_MS);
        b.logger.warn({ role: name, err: scrubbedMessage(err, []) }, 'static role rotation failed; will retry');
      }
    });
    pending.delete(name);
  }
  for (const orphan of pending) await forgetStaticWal(b, orphan);
}
