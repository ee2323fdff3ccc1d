/**
 * Records of the identity store as they are persisted, and the shapes other parts of Ward read from it. Times are
 * milliseconds since the epoch from the store's injected clock; responses render them as RFC 3339.
 */

/** A person or machine, known to Ward through one alias per auth mount. */
export interface EntityRecord {
  id: string;
  /** Unique, compared case-insensitively (Vault's default). */
  name: string;
  /** Absent until set through the API: Vault answers `null` then. */
  metadata?: Record<string, string>;
  /** Sorted, without duplicates. */
  policies: string[];
  disabled: boolean;
  /** The aliases of this entity, in the order they were attached. */
  aliasIds: string[];
  creationTime: number;
  lastUpdateTime: number;
}

/** The identity an auth mount knows someone by (`bob` on `auth/userpass/`). */
export interface EntityAliasRecord {
  id: string;
  /** The entity this alias belongs to. */
  canonicalId: string;
  mountAccessor: string;
  /** Unique per mount accessor, compared case-insensitively. */
  name: string;
  /** Set by the auth method at each login; absent when it supplied none. */
  metadata?: Record<string, string>;
  /** Set by operators through `entity-alias`; absent for aliases created at login. */
  customMetadata?: Record<string, string>;
  creationTime: number;
  lastUpdateTime: number;
}

/** A set of entities and member groups sharing policies. Only `internal` groups exist for now. */
export interface GroupRecord {
  id: string;
  name: string;
  type: 'internal';
  /** Absent until set: Vault answers `null` then. Order kept, duplicates (any case) dropped. */
  policies?: string[];
  metadata?: Record<string, string>;
  /** Sorted, without duplicates; absent until set. */
  memberEntityIds?: string[];
  /** Groups whose members inherit this group's policies. Sorted, without duplicates. */
  memberGroupIds: string[];
  creationTime: number;
  lastUpdateTime: number;
  /** Bumped on every write, as Vault's `modify_index`. */
  modifyIndex: number;
}

/** Time source (milliseconds since the epoch). */
export interface IdentityClock {
  now(): number;
}

/** The mount an alias logs in through, as the core knows it. */
export interface LoginMount {
  accessor: string;
  type: string;
  /** Mount path, e.g. `auth/userpass/`. */
  path: string;
}

/** Resolves a mount accessor to the mount's path and type; undefined when no such mount exists. */
export type MountInfoLookup = (accessor: string) => { path: string; type: string } | undefined;

/**
 * What `{{identity.*}}` templates in policy paths resolve against (the policy helper declares the same shape):
 * the token's entity with its aliases, and every group it belongs to, directly or through member groups.
 */
export interface TemplateContext {
  entity?: {
    id: string;
    name: string;
    metadata: Record<string, string>;
    aliases: Array<{
      mountAccessor: string;
      id: string;
      name: string;
      metadata: Record<string, string>;
      customMetadata: Record<string, string>;
    }>;
  };
  groups: Array<{ id: string; name: string; metadata: Record<string, string> }>;
}

/** The groups an entity belongs to: `direct` lists it as a member; `inherited` contain one of those, transitively. */
export interface EntityGroups {
  direct: GroupRecord[];
  inherited: GroupRecord[];
}
