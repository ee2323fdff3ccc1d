import { definePath, field, invalidRequest, pattern, type FieldValues, type PathSpec } from '../../framework/index.js';
import type { DatabaseBackend } from './backend.js';
import { deleteRole, listRoles, parseCredentialType, readRole, readStaticRole, writeRole, type DynamicRole } from './role-store.js';
import { checkStatements, statementList } from './statements-check.js';

const HELP = `
Manages the dynamic roles: each \`creds/<role>\` request creates a new database user with the role's
\`creation_statements\` and a lease; revocation (lease end, \`lease revoke\`) runs \`revocation_statements\`, or the
plugin's thorough default when there are none. Variables: \`{{name}}\` (= \`{{username}}\`), \`{{password}}\`,
\`{{expiration}}\`. Statements may be a JSON array, one string with several statements, a JSON array in a string, or
base64 of those; statements that do not parse are refused here.

Example for PostgreSQL:

	CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';
	GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";
`;

const roleFields = {
  name: field.string({ required: true, description: 'Name of the role.' }),
  db_name: field.string({ description: 'Name of the database connection this role acts on.' }),
  creation_statements: field.stringList({ description: 'Statements executed to create and configure a user.' }),
  revocation_statements: field.stringList({ description: "Statements executed to revoke a user (default: the plugin's thorough revocation)." }),
  rollback_statements: field.stringList({ description: 'Statements executed to roll back a creation that failed.' }),
  renew_statements: field.stringList({ description: "Statements executed to renew a user (default: move its expiration)." }),
  default_ttl: field.duration({ description: "Default TTL of the credentials (0 = the mount's default)." }),
  max_ttl: field.duration({ description: "Maximum TTL of the credentials (0 = the mount's maximum)." }),
  credential_type: field.string({ description: "The type of credential: 'password' (default), 'rsa_private_key', 'client_certificate'." }),
  credential_config: field.kvPairs({ description: 'Configuration of the credential type, e.g. password_policy.' }),
};

function roleData(role: DynamicRole): Record<string, unknown> {
  const data: Record<string, unknown> = {
    db_name: role.dbName,
    creation_statements: role.creationStatements,
    revocation_statements: role.revocationStatements,
    rollback_statements: role.rollbackStatements,
    renew_statements: role.renewStatements,
    default_ttl: role.defaultTTL,
    max_ttl: role.maxTTL,
    credential_type: role.credentialType,
  };
  if (Object.keys(role.credentialConfig).length > 0) data.credential_config = role.credentialConfig;
  return data;
}

async function writeDynamicRole(b: DatabaseBackend, f: FieldValues<typeof roleFields>): Promise<null> {
  if (await readStaticRole(b.storage, f.name)) throw invalidRequest('Role and Static Role names must be unique');
  const existing = await readRole(b.storage, f.name);
  const role: DynamicRole = existing ?? {
    dbName: '',
    creationStatements: [],
    revocationStatements: [],
    rollbackStatements: [],
    renewStatements: [],
    defaultTTL: 0,
    maxTTL: 0,
    credentialType: 'password',
    credentialConfig: {},
  };
  if (f.db_name !== undefined) role.dbName = f.db_name;
  if (role.dbName === '') throw invalidRequest('database name is required');
  if (f.credential_type !== undefined) role.credentialType = parseCredentialType(f.credential_type);
  if (f.credential_config !== undefined) role.credentialConfig = f.credential_config;
  role.creationStatements = statementList(f.creation_statements) ?? role.creationStatements;
  role.revocationStatements = statementList(f.revocation_statements) ?? role.revocationStatements;
  role.rollbackStatements = statementList(f.rollback_statements) ?? role.rollbackStatements;
  role.renewStatements = statementList(f.renew_statements) ?? role.renewStatements;
  if (role.creationStatements.length === 0) throw invalidRequest('creation_statements are required');
  if (f.default_ttl !== undefined) role.defaultTTL = f.default_ttl;
  if (f.max_ttl !== undefined) role.maxTTL = f.max_ttl;
  await checkStatements(b, role.dbName, {
    creation_statements: role.creationStatements,
    revocation_statements: role.revocationStatements,
    rollback_statements: role.rollbackStatements,
    renew_statements: role.renewStatements,
  });
  await writeRole(b.storage, f.name, role);
  return null;
}

/** `roles/:name` (CRUD) and `LIST roles`. */
export function rolePaths(b: DatabaseBackend): PathSpec[] {
  return [
    definePath({
      pattern: 'roles/?',
      fields: {},
      synopsis: 'Lists the dynamic roles.',
      operations: {
        list: async () => {
          const keys = await listRoles(b.storage);
          return keys.length === 0 ? null : { data: { keys } };
        },
      },
    }),
    definePath({
      pattern: `roles/${pattern.name('name')}`,
      fields: roleFields,
      existenceCheck: async (_req, f) => (await readRole(b.storage, f.name)) !== null,
      synopsis: 'Manages the roles that can be created with this backend.',
      help: HELP,
      operations: {
        read: async (_req, f) => {
          const role = await readRole(b.storage, f.name);
          return role ? { data: roleData(role) } : null;
        },
        create: (_req, f) => writeDynamicRole(b, f),
        update: (_req, f) => writeDynamicRole(b, f),
        delete: async (_req, f) => {
          await deleteRole(b.storage, f.name);
          return null;
        },
      },
    }),
  ];
}
