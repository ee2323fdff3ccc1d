import { definePath, field, formatGoDuration, invalidRequest, parseDurationSeconds, putJSON } from '../../framework/index.js';
import { CONFIG_KEY, DELETE_VERSION_AFTER_DISABLED, readConfig, type KvConfig } from './store.js';

/**
 * Vault's TypeSignedDurationSecond: like a duration, but a leading "-" is allowed (a negative
 * `delete_version_after` on the mount disables the feature for every key).
 */
export function parseSignedDuration(value: unknown, name: string): number {
  if (typeof value === 'number') return value < 0 ? -parseDurationSeconds(-value, name) : parseDurationSeconds(value, name);
  if (typeof value === 'string' && value.trim().startsWith('-')) return -parseDurationSeconds(value.trim().slice(1), name);
  return parseDurationSeconds(value, name);
}

/** Refuses negative counts, which Vault would silently wrap around as unsigned integers. */
export function nonNegative(value: number, name: string): number {
  if (value < 0) throw invalidRequest(`${name} must not be negative`);
  return value;
}

/** `config`: mount-wide settings applied to every key. */
export const configPath = definePath({
  pattern: 'config',
  fields: {
    max_versions: field.int({ description: 'The number of versions to keep for each key. Defaults to 10.' }),
    cas_required: field.bool({ description: 'If true, every write must carry the cas option.' }),
    delete_version_after: field.raw({
      description:
        'If set, the length of time before a version is deleted. A negative duration disables it on all keys; zero clears the setting.',
    }),
  },
  synopsis: 'Configures settings for the KV store.',
  help: 'Backend-level settings applied to every key: max_versions, cas_required, delete_version_after.',
  operations: {
    read: async (req) => {
      const config = await readConfig(req.storage);
      return {
        data: {
          cas_required: config.cas_required,
          delete_version_after: formatGoDuration(config.delete_version_after),
          max_versions: config.max_versions,
        },
      };
    },
    update: async (req, f) => {
      if (f.max_versions === undefined && f.cas_required === undefined && f.delete_version_after === undefined) return null;
      const config: KvConfig = await readConfig(req.storage);
      if (f.max_versions !== undefined) config.max_versions = nonNegative(f.max_versions, 'max_versions');
      if (f.cas_required !== undefined) config.cas_required = f.cas_required;
      if (f.delete_version_after !== undefined) {
        const dva = parseSignedDuration(f.delete_version_after, 'delete_version_after');
        config.delete_version_after = dva < 0 ? DELETE_VERSION_AFTER_DISABLED : dva;
      }
      await putJSON(req.storage, CONFIG_KEY, config);
      return null;
    },
  },
});
