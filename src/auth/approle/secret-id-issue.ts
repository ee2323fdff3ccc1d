import { randomUUID } from 'node:crypto';
import { field, getJSON, invalidRequest, notFound, type EngineRequest, type EngineResponse, type FieldValues } from '../../framework/index.js';
import { cidrsWithin, validCidrs } from './cidr.js';
import { parseSecretIdMetadata } from './metadata.js';
import type { ApproleState } from './state.js';
import { accessorKey, MAX_HMAC_INPUT, readRole, roleNameOf, secretIdKey, type AccessorIndex, type RoleEntry, type SecretIdEntry } from './store.js';

/** The request fields shared by `secret-id` and `custom-secret-id`. */
export const secretIdFields = {
  role_name: field.string({ required: true, description: 'Name of the role.' }),
  metadata: field.raw({
    description: 'Metadata tied to the secret ID, as a JSON string of key/value pairs; set on tokens issued with it.',
  }),
  cidr_list: field.commaStringList({ description: "CIDR blocks the secret ID may be used from; within the role's secret_id_bound_cidrs." }),
  token_bound_cidrs: field.commaStringList({ description: "CIDR blocks tokens issued with this secret ID may be used from; within the role's." }),
  num_uses: field.int({ description: "Logins allowed with this secret ID (0 = unlimited); at most the role's secret_id_num_uses." }),
  ttl: field.duration({ description: "Lifetime of this secret ID (0 = never expire); at most the role's secret_id_ttl." }),
};

type IssueFields = FieldValues<typeof secretIdFields>;

function subsetError(role: string[], secretId: string[]): Error {
  return invalidRequest(
    `failed to verify subset relationship between CIDR blocks on the role ${JSON.stringify(role)} and CIDR blocks on the secret ID ${JSON.stringify(secretId)}`,
  );
}

/** The secret ID's limits: the request's, which may narrow but never widen the role's (Vault refuses, not clamps). */
function limits(role: RoleEntry, f: IssueFields): { numUses: number; ttl: number } {
  let numUses = role.secretIdNumUses;
  if (f.num_uses !== undefined) {
    numUses = f.num_uses;
    if (numUses < 0) throw invalidRequest('num_uses cannot be negative');
    if (role.secretIdNumUses > 0 && (numUses === 0 || numUses > role.secretIdNumUses)) {
      throw invalidRequest("num_uses cannot be higher than the role's secret_id_num_uses");
    }
  }
  let ttl = role.secretIdTTL;
  if (f.ttl !== undefined) {
    ttl = f.ttl;
    if (role.secretIdTTL > 0 && (ttl === 0 || ttl > role.secretIdTTL)) throw invalidRequest("ttl cannot be longer than the role's secret_id_ttl");
  }
  return { numUses, ttl };
}

/**
 * Registers `secretId` against the role and answers `{secret_id, secret_id_accessor, secret_id_ttl,
 * secret_id_num_uses}`. Only the secret ID's HMAC digest is stored. Its expiry is capped by the mount's max lease
 * TTL (Vault's `deriveSecretIDTTL`); a TTL of 0 never expires.
 */
export async function issueSecretId(req: EngineRequest, state: ApproleState, f: IssueFields, secretId: string): Promise<EngineResponse> {
  const name = roleNameOf(f.role_name);
  if (secretId === '') throw invalidRequest('missing secret_id');
  if (Buffer.byteLength(secretId, 'utf8') > MAX_HMAC_INPUT) throw invalidRequest(`secret_id is longer than maximum of ${MAX_HMAC_INPUT} bytes`);
  // Under the role's lock, so a concurrent role deletion cannot leave this secret ID behind, orphaned.
  return state.roleLocks.run(name, async () => {
    const role = await readRole(req.storage, name);
    if (role === null) throw notFound(`role "${name}" does not exist`);
    if (!role.bindSecretId) throw invalidRequest('bind_secret_id is not set on the role');

    const cidrList = f.cidr_list ?? [];
    if (!validCidrs(cidrList)) throw invalidRequest('failed to validate CIDR blocks');
    if (!cidrsWithin(cidrList, role.secretIdBoundCidrs)) throw subsetError(role.secretIdBoundCidrs, cidrList);
    const tokenBoundCidrs = f.token_bound_cidrs ?? [];
    if (!validCidrs(tokenBoundCidrs)) throw invalidRequest('failed to validate token CIDR blocks');
    if (!cidrsWithin(tokenBoundCidrs, role.token.tokenBoundCidrs)) throw subsetError(role.token.tokenBoundCidrs, tokenBoundCidrs);
    const { numUses, ttl } = limits(role, f);
    const metadata = parseSecretIdMetadata(f.metadata);

    const hasher = await state.keys.hasher(req.storage);
    const roleDigest = hasher.mac(role.name);
    const secretIdDigest = hasher.mac(secretId);
    const key = secretIdKey(roleDigest, secretIdDigest);
    const effectiveTTL = Math.min(ttl, req.system.maxLeaseTTL());
    return state.secretIdLocks.run(key, async () => {
      if ((await getJSON<SecretIdEntry>(req.storage, key)) !== null) throw invalidRequest('SecretID is already registered');
      const now = req.system.now();
      const accessor = randomUUID();
      const entry: SecretIdEntry = {
        accessor,
        numUses,
        ttl,
        creationTime: now,
        expirationTime: effectiveTTL > 0 ? now + effectiveTTL * 1000 : 0,
        lastUpdatedTime: now,
        metadata,
        cidrList,
        tokenBoundCidrs,
      };
      const index: AccessorIndex = { roleDigest, secretIdDigest };
      // One batch: a secret ID never exists without its accessor, nor an accessor without its secret ID.
      await req.storage.batch([
        { op: 'put', key, value: Buffer.from(JSON.stringify(entry)) },
        { op: 'put', key: accessorKey(accessor), value: Buffer.from(JSON.stringify(index)) },
      ]);
      return {
        data: { secret_id: secretId, secret_id_accessor: accessor, secret_id_ttl: effectiveTTL, secret_id_num_uses: numUses },
      };
    });
  });
}
