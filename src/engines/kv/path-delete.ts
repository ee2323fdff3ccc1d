import { definePath, field, invalidRequest, putJSON, type BatchOp, type EngineRequest } from '../../framework/index.js';
import { isDeleted, jsonPut, metadataKey, readConfig, readMetadata, scheduledDeletion, versionKey, type KeyMetadata } from './store.js';
import type { V2State } from './v2-state.js';

const versionsField = {
  path: field.string({ description: 'Location of the secret.', default: '' }),
  versions: field.commaIntList({ description: 'The versions to act on.', default: [] as number[] }),
};

/** Runs `change` on the key's metadata under its lock; a missing key is a silent no-op, as in Vault. */
async function withMetadata(
  state: V2State,
  req: EngineRequest,
  path: string,
  versions: number[],
  emptyMessage: string,
  change: (meta: KeyMetadata) => Promise<void>,
): Promise<null> {
  if (versions.length === 0) throw invalidRequest(emptyMessage);
  return state.lock.run(path, async () => {
    const meta = await readMetadata(req.storage, path);
    if (meta) await change(meta);
    return null;
  });
}

/** `delete/<path>`: soft-delete the given versions (undoable). */
export function deletePath(state: V2State) {
  return definePath({
    pattern: 'delete/(?<path>.*)',
    fields: versionsField,
    synopsis: 'Marks one or more versions as deleted in the KV store.',
    help: 'The versioned data is kept but no longer returned by reads. This operation can be undone with undelete.',
    operations: {
      update: async (req, f) =>
        withMetadata(state, req, f.path, f.versions, 'No version number provided', async (meta) => {
          const now = req.system.now();
          for (const n of f.versions) {
            const vm = meta.versions[String(n)];
            if (!vm || vm.destroyed || isDeleted(vm, now)) continue;
            vm.deletion_time = now;
          }
          await putJSON(req.storage, metadataKey(f.path), meta);
        }),
    },
  });
}

/** `undelete/<path>`: restore soft-deleted versions (destroyed ones stay destroyed). */
export function undeletePath(state: V2State) {
  return definePath({
    pattern: 'undelete/(?<path>.*)',
    fields: versionsField,
    synopsis: 'Undeletes one or more versions from the KV store.',
    help: 'Restores the data of the given versions, so reads return it again.',
    operations: {
      update: async (req, f) => {
        const config = await readConfig(req.storage);
        return withMetadata(state, req, f.path, f.versions, 'No version number provided', async (meta) => {
          const now = req.system.now();
          for (const n of f.versions) {
            const vm = meta.versions[String(n)];
            if (!vm || vm.destroyed) continue;
            // Vault restarts the delete_version_after clock at the undelete.
            vm.deletion_time = scheduledDeletion(now, config, meta);
          }
          await putJSON(req.storage, metadataKey(f.path), meta);
        });
      },
    },
  });
}

/** `destroy/<path>`: permanently erase the data of the given versions; their metadata stays, marked destroyed. */
export function destroyPath(state: V2State) {
  return definePath({
    pattern: 'destroy/(?<path>.*)',
    fields: versionsField,
    synopsis: 'Permanently removes one or more versions in the KV store.',
    help: 'Permanently removes the data of the given versions. This cannot be undone.',
    operations: {
      update: async (req, f) =>
        withMetadata(state, req, f.path, f.versions, 'no version number provided', async (meta) => {
          const ops: BatchOp[] = [];
          for (const n of f.versions) {
            const vm = meta.versions[String(n)];
            if (!vm) continue;
            vm.destroyed = true;
            ops.push({ op: 'delete', key: versionKey(f.path, n) });
          }
          // One batch: the metadata never claims a live version whose data is gone, nor the reverse.
          ops.push(jsonPut(metadataKey(f.path), meta));
          await req.storage.batch(ops);
        }),
    },
  });
}
