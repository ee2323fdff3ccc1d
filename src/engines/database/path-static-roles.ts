import { definePath, field, internalError, invalidRequest, pattern, type FieldValues, type PathSpec } from '../../framework/index.js';
import { isRoleAllowed } from './allowed-roles.js';
import type { DatabaseBackend } from './backend.js';
import { readConnection } from './connection-store.js';
import { parseCron } from './cron.js';
import { deleteStaticRole, listStaticRoles, parseCredentialType, readRole, readStaticRole, writeStaticRole, type StaticRole } from './role-store.js';
import { checkStatements, statementList } from './statements-check.js';
import { credentialTTL, forgetStaticWal, nextRotation, rotateStatic, rotationData } from './static-rotation.js';

/** Vault's minimum rotation period (its rotation queue ticks every 5 s). */
export const MIN_ROTATION_PERIOD = 5;
/** Vault's minimum rotation window. */
export const MIN_ROTATION_WINDOW = 3600;

const staticFields = {
  name: field.string({ required: true, description: 'Name of the role.' }),
  db_name: field.string({ description: 'Name of the database connection this role acts on.' }),
  username: field.string({ description: 'Name of the existing database user whose password Ward manages.' }),
  rotation_period: field.duration({ description: 'Period of automatic rotation (at least 5s). Mutually exclusive with rotation_schedule.' }),
  rotation_schedule: field.string({ description: 'Cron schedule (5 fields, UTC) of automatic rotation. Mutually exclusive with rotation_period.' }),
  rotation_window: field.duration({ description: 'How long after each scheduled time the rotation may happen (at least 1h). Requires rotation_schedule.' }),
  rotation_statements: field.stringList({ description: "Statements executed to set the user's password (default: the plugin's)." }),
  credential_type: field.string({ description: "The type of credential: 'password' (default)." }),
  credential_config: field.kvPairs({ description: 'Configuration of the credential type, e.g. password_policy.' }),
};

function staticRoleData(role: StaticRole): Record<string, unknown> {
  const data: Record<string, unknown> = {
    db_name: role.dbName,
    username: role.username,
    rotation_statements: role.rotationStatements,
    credential_type: role.credentialType,
    ...rotationData(role),
  };
  if (Object.keys(role.credentialConfig).length > 0) data.credential_config = role.credentialConfig;
  return data;
}

/** Create or update; a new role has its password rotated at once (Vault does the same). Under the role's lock. */
async function writeStatic(b: DatabaseBackend, f: FieldValues<typeof staticFields>): Promise<null> {
  if (await readRole(b.storage, f.name)) throw invalidRequest('Role and Static Role names must be unique');
  const existing = await readStaticRole(b.storage, f.name);
  const create = existing === null;
  const role: StaticRole = existing ?? {
    dbName: '',
    username: '',
    rotationPeriod: 0,
    rotationSchedule: '',
    rotationWindow: 0,
    rotationStatements: [],
    credentialType: 'password',
    credentialConfig: {},
    password: '',
    lastVaultRotation: 0,
    nextVaultRotation: 0,
  };
  if (f.db_name !== undefined) role.dbName = f.db_name;
  if (role.dbName === '') throw invalidRequest('database name is a required field');
  const username = f.username ?? '';
  if (username === '' && create) throw invalidRequest('username is a required field to create a static account');
  if (!create && username !== '' && role.username !== username) throw invalidRequest('cannot update static account username');
  if (create) role.username = username;

  const schedule = f.rotation_schedule ?? '';
  if (schedule !== '' && f.rotation_period !== undefined) {
    throw invalidRequest('mutually exclusive fields rotation_period and rotation_schedule were both specified; only one of them can be provided');
  }
  if (create && schedule === '' && f.rotation_period === undefined) {
    throw invalidRequest('one of rotation_schedule or rotation_period must be provided to create a static account');
  }
  if (f.rotation_period !== undefined) {
    if (f.rotation_period < MIN_ROTATION_PERIOD) throw invalidRequest(`rotation_period must be ${MIN_ROTATION_PERIOD} seconds or more`);
    if (f.rotation_window !== undefined) throw invalidRequest('rotation_window is invalid with use of rotation_period');
    role.rotationPeriod = f.rotation_period;
    role.rotationSchedule = '';
    role.rotationWindow = 0;
  }
  if (schedule !== '') {
    try {
      parseCron(schedule);
    } catch (err) {
      throw invalidRequest(`could not parse rotation_schedule: ${err instanceof Error ? err.message : String(err)}`);
    }
    role.rotationSchedule = schedule;
    role.rotationPeriod = 0;
    if (f.rotation_window !== undefined) {
      if (f.rotation_window < MIN_ROTATION_WINDOW) throw invalidRequest(`rotation_window is invalid: rotation_window must be ${MIN_ROTATION_WINDOW} seconds or more`);
      role.rotationWindow = f.rotation_window;
    }
  } else if (f.rotation_window !== undefined && role.rotationSchedule === '') {
    throw invalidRequest('rotation_window is invalid with use of rotation_period');
  }
  role.rotationStatements = statementList(f.rotation_statements) ?? role.rotationStatements;
  if (f.credential_type !== undefined) {
    role.credentialType = parseCredentialType(f.credential_type);
    if (role.credentialType !== 'password') throw invalidRequest(`unsupported credential_type: "${role.credentialType}"`);
  }
  if (f.credential_config !== undefined) role.credentialConfig = f.credential_config;
  await checkStatements(b, role.dbName, { rotation_statements: role.rotationStatements });

  if (create) {
    try {
      await rotateStatic(b, f.name, role);
    } catch (err) {
      await forgetStaticWal(b, f.name).catch(() => undefined);
      throw err;
    }
    return null;
  }
  const rescheduled = f.rotation_period !== undefined || schedule !== '';
  if (rescheduled) role.nextVaultRotation = nextRotation(role, role.lastVaultRotation || b.system.now());
  await writeStaticRole(b.storage, f.name, role);
  return null;
}

/** `static-roles/:name` (CRUD), `LIST static-roles`, `static-creds/:name`, `rotate-role/:name`. */
export function staticRolePaths(b: DatabaseBackend): PathSpec[] {
  const nameOnly = { name: field.string({ required: true, description: 'Name of the static role.' }) };
  return [
    definePath({
      pattern: 'static-roles/?',
      fields: {},
      synopsis: 'Lists the static roles.',
      operations: {
        list: async () => {
          const keys = await listStaticRoles(b.storage);
          return keys.length === 0 ? null : { data: { keys } };
        },
      },
    }),
    definePath({
      pattern: `static-roles/${pattern.name('name')}`,
      fields: staticFields,
      existenceCheck: async (_req, f) => (await readStaticRole(b.storage, f.name)) !== null,
      synopsis: 'Manages the static roles that can be created with this backend.',
      help: 'A static role maps to one existing database user whose password Ward rotates every rotation_period, or on rotation_schedule (cron) within rotation_window. The password is rotated when the role is created.',
      operations: {
        read: async (_req, f) => {
          const role = await readStaticRole(b.storage, f.name);
          return role ? { data: staticRoleData(role) } : null;
        },
        create: (_req, f) => b.roleLocks.run(f.name, () => writeStatic(b, f)),
        update: (_req, f) => b.roleLocks.run(f.name, () => writeStatic(b, f)),
        delete: (_req, f) =>
          b.roleLocks.run(f.name, async () => {
            await deleteStaticRole(b.storage, f.name);
            await forgetStaticWal(b, f.name);
            b.staticRetryAt.delete(f.name);
            return null;
          }),
      },
    }),
    definePath({
      pattern: `static-creds/${pattern.name('name')}`,
      fields: nameOnly,
      synopsis: 'Request database credentials for a certain static role. These credentials are rotated periodically.',
      operations: {
        read: async (_req, f) => {
          const role = await readStaticRole(b.storage, f.name);
          if (!role) throw invalidRequest(`unknown role: ${f.name}`);
          const conn = await readConnection(b.storage, role.dbName);
          if (!conn) throw internalError(`failed to find entry for connection with name: "${role.dbName}"`);
          if (!isRoleAllowed(conn.allowedRoles, f.name)) throw internalError(`"${f.name}" is not an allowed role`);
          return {
            data: {
              username: role.username,
              password: role.password,
              ttl: credentialTTL(role, b.system.now()),
              ...rotationData(role),
            },
          };
        },
      },
    }),
    definePath({
      pattern: `rotate-role/${pattern.name('name')}`,
      fields: nameOnly,
      synopsis: 'Request to rotate the credentials for a static user account.',
      operations: {
        update: (_req, f) =>
          b.roleLocks.run(f.name, async () => {
            const role = await readStaticRole(b.storage, f.name);
            if (!role) throw invalidRequest('no static role found for role name');
            try {
              await rotateStatic(b, f.name, role);
            } catch (err) {
              b.staticRetryAt.set(f.name, b.system.now() + 10_000);
              throw err;
            }
            return null;
          }),
      },
    }),
  ];
}
