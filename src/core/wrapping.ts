import { WardError, invalidRequest } from '../lib/errors.js';
import { rfc3339Nano } from '../lib/clock.js';
import type { TokenEntry } from '../tokens/token-entry.js';
import type { Core } from './core.js';
import type { CoreResponse } from './request.js';

/** Policy name of wrapping tokens (Vault's); such a token can do nothing but be unwrapped. */
export const WRAPPING_POLICY = 'response-wrapping';
const KEY = 'wrapped-response';

interface StoredWrap {
  response: CoreResponse;
  creationPath: string;
  creationTime: number;
  ttl: number;
}

function cubbyKey(handle: string): string {
  return `${handle}/${KEY}`;
}

/**
 * Response wrapping (§2.7): the real response goes into the cubbyhole of a new single-use token that lives `ttl`
 * seconds, and the client gets only `wrap_info`. Unwrapping reads it once and revokes the token.
 */
export class Wrapping {
  /** Unwraps in progress, by handle: two concurrent unwraps of one token cannot both succeed. */
  private readonly busy = new Set<string>();

  constructor(private readonly core: Core) {}

  private cubby() {
    const m = this.core.router.get('cubbyhole/');
    if (!m) throw new WardError('internal', 'cubbyhole mount missing');
    return m;
  }

  async wrap(resp: CoreResponse, ttl: number, creationPath: string, requestId: string, remoteAddress: string): Promise<CoreResponse> {
    const core = this.core;
    const { token, entry } = await core.tokens.create({
      policies: [WRAPPING_POLICY], parentHandle: '', path: creationPath, displayName: 'response-wrapping', meta: {}, ttl, maxTTL: ttl,
      explicitMaxTTL: 0, period: 0, numUses: 1, renewable: false, type: 'service', entityId: '', role: '', boundCidrs: [],
      authMountPath: '', authMountAccessor: '', loginInternal: {}, aliasName: '', allowNonExpiring: false, requestId, remoteAddress,
    });
    const stored: StoredWrap = { response: resp, creationPath, creationTime: entry.creationTime, ttl };
    await this.cubby().storage.put(cubbyKey(entry.handle), Buffer.from(JSON.stringify(stored)));
    const wrapped = resp.issuedAuth?.accessor;
    return {
      wrapInfo: {
        token,
        accessor: entry.accessor,
        ttl,
        creation_time: rfc3339Nano(entry.creationTime),
        creation_path: creationPath,
        ...(typeof wrapped === 'string' && wrapped !== '' ? { wrapped_accessor: wrapped } : {}),
      },
    };
  }

  /** The wrapping token's entry, or the 400 Vault gives for anything else. */
  private async wrappingEntry(token: string): Promise<Readonly<TokenEntry>> {
    const entry = token ? await this.core.tokens.resolve(token) : null;
    if (!entry || !entry.policies.includes(WRAPPING_POLICY) || entry.policies.length !== 1) throw invalidRequest('wrapping token is not valid or does not exist');
    return entry;
  }

  private async read(entry: Readonly<TokenEntry>): Promise<StoredWrap> {
    const raw = await this.cubby().storage.get(cubbyKey(entry.handle));
    if (!raw) throw invalidRequest('wrapping token is not valid or does not exist');
    return JSON.parse(raw.toString('utf8')) as StoredWrap;
  }

  /** Returns the wrapped response once; the wrapping token is revoked whatever happens next. */
  async unwrap(token: string): Promise<CoreResponse> {
    const entry = await this.wrappingEntry(token);
    if (this.busy.has(entry.handle)) throw invalidRequest('wrapping token is not valid or does not exist');
    this.busy.add(entry.handle);
    try {
      const stored = await this.read(entry);
      await this.core.tokens.revokeTree(entry.handle);
      return stored.response;
    } finally {
      this.busy.delete(entry.handle);
    }
  }

  async lookup(token: string): Promise<Record<string, unknown>> {
    const entry = await this.wrappingEntry(token);
    const stored = await this.read(entry);
    return { creation_path: stored.creationPath, creation_time: rfc3339Nano(stored.creationTime), creation_ttl: stored.ttl };
  }

  /** A new wrapping token for the same response, same TTL; the old one is revoked. */
  async rewrap(token: string, requestId: string, remoteAddress: string): Promise<CoreResponse> {
    const entry = await this.wrappingEntry(token);
    if (this.busy.has(entry.handle)) throw invalidRequest('wrapping token is not valid or does not exist');
    this.busy.add(entry.handle);
    try {
      const stored = await this.read(entry);
      const next = await this.wrap(stored.response, stored.ttl, stored.creationPath, requestId, remoteAddress);
      await this.core.tokens.revokeTree(entry.handle);
      return next;
    } finally {
      this.busy.delete(entry.handle);
    }
  }
}
