import type { Engine, PathSpec } from '../../framework/index.js';
import { KeyedLock } from '../../lib/keyed-lock.js';
import { MetadataCache } from './metadata-cache.js';
import { configPath } from './path-config.js';
import { dataPath } from './path-data.js';
import { deletePath, destroyPath, undeletePath } from './path-delete.js';
import { invalidPath } from './path-invalid.js';
import { metadataPath } from './path-metadata.js';
import { subkeysPath } from './path-subkeys.js';
import type { V2State } from './v2-state.js';

const HELP = `
This backend provides a versioned key-value store. Secrets are encrypted by Ward before they reach storage. Each
key keeps a configurable number of versions, which can be read, soft-deleted, undeleted and destroyed by number.
`;

const OPERATIONS = ['read', 'create', 'update', 'patch', 'delete', 'list'] as const;

/**
 * `spec` with every handler and its existence check run on the metadata cache's watching storage view, so that no
 * write on this mount, whichever path makes it, can leave stale metadata in the cache.
 */
function watchingWrites(spec: PathSpec, cache: MetadataCache): PathSpec {
  const operations: PathSpec['operations'] = {};
  for (const op of OPERATIONS) {
    const handler = spec.operations[op];
    if (handler) operations[op] = (req, fields) => handler(cache.bind(req), fields);
  }
  const check = spec.existenceCheck;
  const watched: PathSpec = { ...spec, operations };
  if (check) watched.existenceCheck = (req, fields) => check(cache.bind(req), fields);
  return watched;
}

/** KV version 2 on one mount. Per-mount state (the per-key lock, the metadata cache) lives in this closure. */
export function createKvV2(): Engine {
  const state: V2State = { lock: new KeyedLock(), metadata: new MetadataCache() };
  const paths = [
    configPath,
    dataPath(state),
    metadataPath(state),
    destroyPath(state),
    subkeysPath(state),
    deletePath(state),
    undeletePath(state),
    invalidPath(),
  ];
  return {
    help: HELP,
    // Declaration order decides matching (as in Vault): the catch-all must stay last.
    paths: paths.map((p) => watchingWrites(p, state.metadata)),
  };
}
