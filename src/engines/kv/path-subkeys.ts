import { definePath, field } from '../../framework/index.js';
import { isJsonObject, setOwn, type JsonObject } from './json-util.js';
import { versionMetadataResponse } from './store.js';
import { goneResponse, loadVersion, type V2State } from './v2-state.js';

/** Vault's cap on nesting when no `depth` is given. */
const MAX_SUBKEYS_DEPTH = 100;

/**
 * The structure of `data` with every value replaced by null: non-empty objects are walked (down to `maxDepth`
 * levels), everything else, including empty objects and anything below the limit, becomes null.
 */
export function subkeys(data: JsonObject, maxDepth: number): JsonObject {
  const walk = (input: JsonObject, depth: number): JsonObject => {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(input)) {
      const deeper = depth + 1 <= maxDepth && isJsonObject(v) && Object.keys(v).length > 0;
      setOwn(out, k, deeper ? walk(v as JsonObject, depth + 1) : null);
    }
    return out;
  };
  return walk(data, 1);
}

/** `subkeys/<path>`: the keys of a version without its values. */
export function subkeysPath(state: V2State) {
  return definePath({
    pattern: 'subkeys/(?<path>.*)',
    fields: {
      path: field.string({ description: 'Location of the secret.', default: '' }),
      version: field.int({ description: 'The version to read (default: the current one).' }),
      depth: field.int({ description: 'The deepest nesting level to return; 0 = no limit.' }),
    },
    synopsis: 'Read the structure of a secret entry from the Key-Value store with the values removed.',
    help: 'Returns the keys of the version with every non-map value replaced by null.',
    operations: {
      read: async (req, f) => {
        const loaded = await loadVersion(state, req, f.path, f.version ?? 0);
        if (loaded.kind === 'missing') return null;
        if (loaded.kind === 'gone') return goneResponse(loaded, 'subkeys');
        const depth = f.depth !== undefined && f.depth > 0 ? Math.min(f.depth, MAX_SUBKEYS_DEPTH) : MAX_SUBKEYS_DEPTH;
        return {
          data: {
            subkeys: subkeys(loaded.data, depth),
            metadata: versionMetadataResponse(loaded.meta, loaded.version, loaded.vm),
          },
        };
      },
    },
  });
}
