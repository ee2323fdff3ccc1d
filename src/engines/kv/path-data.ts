import { definePath, field, internalError, invalidRequest, notFound, putJSON } from '../../framework/index.js';
import { mergePatch, type JsonObject } from './json-util.js';
import {
  appendVersion,
  emptyMetadata,
  isDeleted,
  metadataKey,
  readConfig,
  readMetadata,
  readVersion,
  versionMetadataResponse,
  type KeyMetadata,
  type KvConfig,
} from './store.js';
import { goneResponse, loadVersion, type V2State } from './v2-state.js';

/** Vault's `options.cas`, weakly decoded to an integer as mapstructure does. Undefined when absent. */
export function parseCas(options: Record<string, unknown> | undefined): number | undefined {
  if (!options || !Object.hasOwn(options, 'cas')) return undefined;
  const raw = options.cas;
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw === 'number' && Number.isFinite(raw)) return Math.trunc(raw);
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (typeof raw === 'string') {
    const s = raw.trim();
    if (s === '') return 0;
    if (/^[-+]?\d+$/.test(s)) return Number.parseInt(s, 10);
  }
  throw invalidRequest('error parsing check-and-set parameter');
}

/**
 * Check-and-set: when `cas` is given it must equal the current version (0 = the key must not exist yet); when the
 * mount or the key requires it, it must be given. Texts are Vault's.
 */
export function checkCas(options: Record<string, unknown> | undefined, config: KvConfig, meta: KeyMetadata): void {
  const cas = parseCas(options);
  if (cas !== undefined) {
    if (cas !== meta.current_version) throw invalidRequest('check-and-set parameter did not match the current version');
  } else if (config.cas_required || meta.cas_required) {
    throw invalidRequest('check-and-set parameter required for this call');
  }
}

/** `data/<path>`: read, write (new version), patch (merge into a new version), soft-delete the latest version. */
export function dataPath(state: V2State) {
  return definePath({
    // Vault's matchAllNoTrailingSlashRegex: a secret path never ends with "/".
    pattern: 'data/(?<path>.*[^/])',
    fields: {
      path: field.string({ description: 'Location of the secret.', required: true }),
      version: field.int({ description: 'On read, the version to return (default: the current one).' }),
      options: field.map({ description: 'Write options. "cas": the version the write expects as current (0 = create only).' }),
      data: field.map({ description: 'The contents of the data map will be stored and returned on read.' }),
    },
    synopsis: 'Write, Patch, Read, and Delete data in the Key-Value Store.',
    help: [
      'A write creates a new version; "options.cas" makes it conditional on the current version.',
      'A patch merges "data" into the current version (JSON merge patch: null removes a key) as a new version.',
      'A read returns the latest version, or the one named by "version".',
      'A delete marks the latest version as deleted; it can be undone with undelete.',
    ].join('\n\n'),
    existenceCheck: async (req, f) => (await state.metadata.read(req.storage, f.path)) !== null,
    operations: {
      read: async (req, f) => {
        const loaded = await loadVersion(state, req, f.path, f.version ?? 0);
        if (loaded.kind === 'missing') return null;
        if (loaded.kind === 'gone') return goneResponse(loaded, 'data');
        return { data: { data: loaded.data, metadata: versionMetadataResponse(loaded.meta, loaded.version, loaded.vm) } };
      },

      update: async (req, f) => {
        const config = await readConfig(req.storage);
        const data = f.data;
        if (data === undefined) throw invalidRequest('no data provided');
        return state.lock.run(f.path, async () => {
          const now = req.system.now();
          const meta = (await readMetadata(req.storage, f.path)) ?? emptyMetadata(f.path, now);
          checkCas(f.options, config, meta);
          const added = appendVersion(meta, data, config, now);
          await req.storage.batch(added.ops);
          return { data: versionMetadataResponse(meta, added.version, added.vm) };
        });
      },

      patch: async (req, f) => {
        const patch = f.data;
        if (patch === undefined) throw invalidRequest('no data provided');
        return state.lock.run(f.path, async () => {
          const meta = await readMetadata(req.storage, f.path);
          // Thrown rather than returned as null, so the 404 does not depend on how the core reads a null patch.
          if (!meta) throw notFound();
          const config = await readConfig(req.storage);
          checkCas(f.options, config, meta);
          const current = meta.current_version;
          const vm = meta.versions[String(current)];
          if (!vm) throw notFound();
          const now = req.system.now();
          if (vm.destroyed || isDeleted(vm, now)) {
            return { data: versionMetadataResponse(meta, current, vm), httpStatus: 404 };
          }
          const record = await readVersion(req.storage, f.path, current);
          if (!record) throw internalError('could not find version data');
          const patched = mergePatch(record.data, patch) as JsonObject;
          const added = appendVersion(meta, patched, config, now);
          await req.storage.batch(added.ops);
          return { data: versionMetadataResponse(meta, added.version, added.vm) };
        });
      },

      delete: async (req, f) =>
        state.lock.run(f.path, async () => {
          const meta = await readMetadata(req.storage, f.path);
          if (!meta) return null;
          const latest = meta.versions[String(meta.current_version)];
          const now = req.system.now();
          if (!latest || latest.destroyed || isDeleted(latest, now)) return null;
          latest.deletion_time = now;
          await putJSON(req.storage, metadataKey(f.path), meta);
          return null;
        }),
    },
  });
}
