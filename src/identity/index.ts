import type { Engine } from '../framework/engine.js';
import type { PathSpec } from '../framework/path.js';
import type { IdentityStore } from './identity-store.js';
import { aliasPaths } from './paths-alias.js';
import { entityPaths } from './paths-entity.js';
import { groupPaths } from './paths-group.js';
import { lookupPaths } from './paths-lookup.js';
import type { MountInfoLookup } from './types.js';

export { IdentityStore } from './identity-store.js';
export type {
  EntityAliasRecord,
  EntityGroups,
  EntityRecord,
  GroupRecord,
  IdentityClock,
  LoginMount,
  MountInfoLookup,
  TemplateContext,
} from './types.js';

/**
 * The `identity/` API (entities, entity aliases, internal groups, lookups) over `store`. `mountInfo` resolves a mount
 * accessor to its path and type: aliases show them as `mount_path`/`mount_type`, and alias writes refuse unknown
 * accessors.
 */
export function identityPaths(store: IdentityStore, mountInfo: MountInfoLookup): PathSpec[] {
  return [...entityPaths(store, mountInfo), ...aliasPaths(store, mountInfo), ...groupPaths(store), ...lookupPaths(store, mountInfo)];
}

/** The built-in engine mounted at `identity/`. Its handlers use `store`, not the request's storage view. */
export function identityEngine(store: IdentityStore, mountInfo: MountInfoLookup): Engine {
  return {
    help: 'The identity store: entities, their aliases on auth mounts, and groups that grant policies to their members.',
    paths: identityPaths(store, mountInfo),
    // Unloaded on seal: nothing read before the seal is served after the next unseal.
    async close() {
      store.invalidateCache();
    },
  };
}
