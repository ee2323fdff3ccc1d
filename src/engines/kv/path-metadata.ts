import { definePath, field, formatGoDuration, invalidRequest, notFound, putJSON, type BatchOp } from '../../framework/index.js';
import { parseCustomMetadata, validateCustomMetadata } from './custom-metadata.js';
import { mergePatch } from './json-util.js';
import { nonNegative } from './path-config.js';
import { listPrefix } from './v1.js';
import {
  emptyMetadata,
  formatTime,
  metadataKey,
  readConfig,
  readMetadata,
  versionKey,
  type KeyMetadata,
  type KvConfig,
} from './store.js';
import type { V2State } from './v2-state.js';

const CAS_IGNORED_WARNING = '"cas_required" set to false, but is mandated by backend config. This value will be ignored.';

function casWarning(casRequired: boolean | undefined, config: KvConfig): string[] | undefined {
  return casRequired === false && config.cas_required ? [CAS_IGNORED_WARNING] : undefined;
}

function checkKeyPath(path: string): void {
  if (path === '') throw invalidRequest('missing path');
  if (path.endsWith('/')) throw invalidRequest('path must not end with "/"');
}

/** The `data` of a metadata read (Vault's field set; `versions` keyed by version number). */
export function metadataResponse(meta: Readonly<KeyMetadata>): Record<string, unknown> {
  const versions: Record<string, unknown> = {};
  const numbers = Object.keys(meta.versions).map(Number).sort((a, b) => a - b);
  for (const n of numbers) {
    const vm = meta.versions[String(n)];
    if (!vm) continue;
    versions[String(n)] = {
      created_time: formatTime(vm.created_time),
      deletion_time: formatTime(vm.deletion_time),
      destroyed: vm.destroyed,
    };
  }
  return {
    cas_required: meta.cas_required,
    created_time: formatTime(meta.created_time),
    current_version: meta.current_version,
    // A copy: `meta` may be the shared cached entry.
    custom_metadata: meta.custom_metadata === null ? null : { ...meta.custom_metadata },
    delete_version_after: formatGoDuration(meta.delete_version_after),
    max_versions: meta.max_versions,
    oldest_version: meta.oldest_version,
    updated_time: formatTime(meta.updated_time),
    versions,
  };
}

/** Vault stores an empty custom_metadata as nothing, so it reads back as null. */
function normaliseCustom(map: Record<string, string>): Record<string, string> | null {
  return Object.keys(map).length === 0 ? null : map;
}

/** `metadata/<path>`: list keys, read/write/patch a secret's settings, delete a secret with all its versions. */
export function metadataPath(state: V2State) {
  return definePath({
    pattern: 'metadata/(?<path>.*)',
    fields: {
      path: field.string({ description: 'Location of the secret.', default: '' }),
      max_versions: field.int({ description: "The number of versions to keep. If not set, the backend's setting is used." }),
      cas_required: field.bool({ description: 'If true, writes to this key must carry the cas option.' }),
      delete_version_after: field.duration({
        description: "The length of time before a version is deleted. If not set, the backend's setting is used. Zero clears it.",
      }),
      custom_metadata: field.map({ description: 'User-provided key-value pairs (strings) describing the secret.' }),
    },
    synopsis: 'Allows interaction with key metadata and settings in the KV store.',
    help: 'Read information about a key, write its settings, or permanently delete the key and all its versions.',
    existenceCheck: async (req, f) => (await state.metadata.read(req.storage, f.path)) !== null,
    operations: {
      list: async (req, f) => {
        const keys = await req.storage.list(metadataKey(listPrefix(f.path)));
        return keys.length === 0 ? null : { data: { keys } };
      },

      read: async (req, f) => {
        const meta = await state.metadata.read(req.storage, f.path);
        return meta ? { data: metadataResponse(meta) } : null;
      },

      update: async (req, f) => {
        checkKeyPath(f.path);
        const { max_versions, cas_required, delete_version_after, custom_metadata } = f;
        // Vault's fast path: nothing to set means nothing is written (no metadata is created either).
        if ([max_versions, cas_required, delete_version_after, custom_metadata].every((v) => v === undefined)) return null;
        const config = await readConfig(req.storage);
        let custom: Record<string, string> | undefined;
        if (custom_metadata !== undefined) {
          custom = parseCustomMetadata(custom_metadata, false) as Record<string, string>;
          validateCustomMetadata(custom);
        }
        if (max_versions !== undefined) nonNegative(max_versions, 'max_versions');
        const warnings = casWarning(cas_required, config);
        return state.lock.run(f.path, async () => {
          const meta = (await readMetadata(req.storage, f.path)) ?? emptyMetadata(f.path, req.system.now());
          if (max_versions !== undefined) meta.max_versions = max_versions;
          if (cas_required !== undefined) meta.cas_required = cas_required;
          if (delete_version_after !== undefined) meta.delete_version_after = delete_version_after;
          if (custom !== undefined) meta.custom_metadata = normaliseCustom(custom);
          await putJSON(req.storage, metadataKey(f.path), meta);
          return warnings ? { warnings } : null;
        });
      },

      patch: async (req, f) => {
        checkKeyPath(f.path);
        const { max_versions, cas_required, delete_version_after, custom_metadata } = f;
        const customPatch = custom_metadata === undefined ? undefined : parseCustomMetadata(custom_metadata, true);
        if (max_versions !== undefined) nonNegative(max_versions, 'max_versions');
        const config = await readConfig(req.storage);
        return state.lock.run(f.path, async () => {
          const meta = await readMetadata(req.storage, f.path);
          if (!meta) throw notFound();
          if (max_versions !== undefined) meta.max_versions = max_versions;
          if (cas_required !== undefined) meta.cas_required = cas_required;
          if (delete_version_after !== undefined) meta.delete_version_after = delete_version_after;
          if (customPatch !== undefined) {
            // Merge-patch semantics inside the map too: a null value removes that key.
            const merged = mergePatch(meta.custom_metadata ?? {}, customPatch) as Record<string, string>;
            validateCustomMetadata(merged);
            meta.custom_metadata = normaliseCustom(merged);
          }
          await putJSON(req.storage, metadataKey(f.path), meta);
          const warnings = casWarning(cas_required, config);
          // Not null: a successful patch with nothing to say is a 204, while a null patch result reads as "absent".
          return warnings ? { warnings } : {};
        });
      },

      delete: async (req, f) =>
        state.lock.run(f.path, async () => {
          const meta = await readMetadata(req.storage, f.path);
          if (!meta) return null;
          const ops: BatchOp[] = Object.keys(meta.versions).map((n) => ({ op: 'delete', key: versionKey(f.path, Number(n)) }));
          ops.push({ op: 'delete', key: metadataKey(f.path) });
          await req.storage.batch(ops);
          return null;
        }),
    },
  });
}
