import type { Engine } from '../../framework/index.js';
import { KeyedLock } from '../../lib/keyed-lock.js';
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

/** KV version 2 on one mount. Per-mount state (the per-key lock) lives in this closure. */
export function createKvV2(): Engine {
  const state: V2State = { lock: new KeyedLock() };
  return {
    help: HELP,
    // Declaration order decides matching (as in Vault): the catch-all must stay last.
    paths: [
      configPath,
      dataPath(state),
      metadataPath(state),
      destroyPath(state),
      subkeysPath(),
      deletePath(state),
      undeletePath(state),
      invalidPath(),
    ],
  };
}
