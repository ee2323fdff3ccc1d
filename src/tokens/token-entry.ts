/** What is stored about a token. The token itself is never stored: only `handle`, its salted hash. */
export interface TokenEntry {
  handle: string;
  /** '' for batch tokens, as in Vault. */
  accessor: string;
  /** Handle of the parent token; '' for orphans. */
  parentHandle: string;
  /** Token policies (with `default` unless it was left out). Identity policies are added per request. */
  policies: string[];
  /** The path that created it (`auth/token/create`, `auth/approle/login`): revoke-prefix matches on it. */
  path: string;
  displayName: string;
  meta: Record<string, string>;
  /** Milliseconds since the epoch. */
  creationTime: number;
  /** Seconds; 0 = never expires. */
  creationTTL: number;
  /** When it expires (ms); 0 = never. */
  expireTime: number;
  /** The hard end of its life (explicit max, or the max TTL in force at creation); 0 = none. */
  maxExpireTime: number;
  explicitMaxTTL: number;
  /** Uses left; 0 = unlimited. */
  numUses: number;
  period: number;
  renewable: boolean;
  type: 'service' | 'batch';
  entityId: string;
  orphan: boolean;
  role: string;
  boundCidrs: string[];
  lastRenewalTime: number;
  /** Auth mount that issued it by login (`auth/approle/`), '' for token-store tokens. */
  authMountPath: string;
  authMountAccessor: string;
  /** The login's internal data and alias, for `renewLogin`. */
  loginInternal: Record<string, unknown>;
  aliasName: string;
  /** Lease id of its life in the expiration manager; '' when it never expires. */
  leaseId: string;
}
