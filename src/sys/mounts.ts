import type { Core } from '../core/core.js';
import { definePath, field, type PathSpec } from '../framework/index.js';
import { invalidRequest, notFound } from '../lib/errors.js';
import { mountEntryJSON, type MountTableName } from '../router/mount-entry.js';
import { normaliseMountPath } from '../router/mount-manager.js';
import { parseMountConfig, parseOptions, parseTuneFields } from './mount-config.js';

function tableJSON(core: Core, table: MountTableName): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (table === 'mounts') out['sys/'] = mountEntryJSON(core.systemMount.entry);
  for (const e of core.mounts.entries(table)) out[e.path] = mountEntryJSON(e, table);
  return out;
}

const mountFields = {
  path: field.string({ description: 'The path to mount to.' }),
  type: field.string({ description: 'The type of the backend, e.g. "kv", "kv-v2", "database".' }),
  description: field.string({ description: 'User-friendly description for this mount.' }),
  config: field.raw({ description: 'Configuration: default_lease_ttl, max_lease_ttl, ...' }),
  options: field.raw({ description: 'Options for the engine, e.g. {"version": "2"} for kv.' }),
  local: field.bool({ description: 'Whether the mount is local to this cluster.', default: false }),
  seal_wrap: field.bool({ description: 'Whether values are seal-wrapped.', default: false }),
  plugin_name: field.string({ description: 'Legacy alias of type.' }),
};

/** The paths for one mount table: `mounts` (secret engines) or `auth` (auth methods). */
export function mountTablePaths(core: Core, table: MountTableName): PathSpec[] {
  const root = table === 'mounts' ? 'mounts' : 'auth';
  const tuneResponse = (path: string): Record<string, unknown> => {
    const m = core.mounts.find(table, path) ?? (table === 'mounts' && normaliseMountPath(path) === 'sys/' ? core.systemMount : undefined);
    if (!m) throw invalidRequest(`cannot fetch sysview for path "${path}"`);
    const view = core.mounts.systemView(m.entry);
    const out: Record<string, unknown> = {
      description: m.entry.description,
      default_lease_ttl: view.defaultLeaseTTL(),
      max_lease_ttl: view.maxLeaseTTL(),
      force_no_cache: m.entry.config.forceNoCache,
    };
    if (Object.keys(m.entry.options).length > 0) out.options = m.entry.options;
    if (m.entry.config.tokenType) out.token_type = m.entry.config.tokenType;
    return out;
  };
  return [
    definePath({
      pattern: root,
      synopsis: table === 'mounts' ? 'Lists the mounted secret engines.' : 'Lists the enabled auth methods.',
      fields: {},
      operations: { read: async () => ({ data: tableJSON(core, table) }) },
    }),
    definePath({
      pattern: `${root}/(?<path>.+)/tune`,
      synopsis: 'Reads or changes the configuration of a mount.',
      fields: { path: field.string(), description: field.string(), options: field.raw(), ...Object.fromEntries(['default_lease_ttl', 'max_lease_ttl', 'force_no_cache', 'listing_visibility', 'passthrough_request_headers', 'allowed_response_headers', 'audit_non_hmac_request_keys', 'audit_non_hmac_response_keys', 'token_type'].map((k) => [k, field.raw()])) },
      operations: {
        read: async (_req, f) => ({ data: tuneResponse(f.path as string) }),
        update: async (req, f) => {
          await core.mounts.tune(table, f.path as string, {
            config: parseTuneFields(req.data),
            ...(f.description !== undefined ? { description: f.description } : {}),
            ...(parseOptions(f.options) ? { options: parseOptions(f.options) as Record<string, string> } : {}),
          });
          return null;
        },
      },
    }),
    definePath({
      pattern: `${root}/(?<path>.+)`,
      synopsis: table === 'mounts' ? 'Enables, reads or disables a secret engine at a path.' : 'Enables, reads or disables an auth method.',
      fields: mountFields,
      operations: {
        read: async (_req, f) => {
          const m = core.mounts.find(table, f.path as string);
          if (!m) throw notFound();
          return { data: mountEntryJSON(m.entry, table) };
        },
        update: async (_req, f) => {
          const type = f.type ?? f.plugin_name;
          if (!type) throw invalidRequest('type is required');
          const options = parseOptions(f.options);
          await core.mounts.mount(table, {
            path: f.path as string,
            type,
            config: parseMountConfig(f.config),
            local: f.local,
            sealWrap: f.seal_wrap,
            ...(f.description !== undefined ? { description: f.description } : {}),
            ...(options ? { options } : {}),
          });
          return null;
        },
        delete: async (_req, f) => {
          // Leases (and, for auth methods, tokens) issued through the mount are revoked first; the mount stays if
          // any cannot be revoked now, so no credential is left without the engine that can destroy it.
          await core.mounts.unmount(table, f.path as string, async (m) => {
            const result = await core.expiration.revokePrefix(m.fullPath);
            if (result.failed > 0) throw invalidRequest(`failed to revoke ${result.failed} lease(s) under ${m.fullPath}; the mount was not disabled (the leases keep retrying)`);
          });
          return null;
        },
      },
    }),
  ];
}

/** sys/remount: moves a secret engine or an auth method (`auth/x` → `auth/y`). Data stays keyed by mount UUID. */
export function remountPaths(core: Core): PathSpec[] {
  return [
    definePath({
      pattern: 'remount',
      synopsis: 'Moves a mount to a new path.',
      fields: { from: field.string({ description: 'The current path.' }), to: field.string({ description: 'The new path.' }) },
      operations: {
        update: async (_req, f) => {
          if (!f.from || !f.to) throw invalidRequest('both "from" and "to" are required');
          const isAuth = f.from.startsWith('auth/');
          if (isAuth !== f.to.startsWith('auth/')) throw invalidRequest('cannot remount between secret engines and auth methods');
          if (isAuth) await core.mounts.remount('auth', f.from.slice(5), f.to.slice(5));
          else await core.mounts.remount('mounts', f.from, f.to);
          // Ward moves a mount synchronously; the id lets Vault clients poll sys/remount/status as they expect.
          return { data: { migration_id: _req.id } };
        },
      },
    }),
    definePath({
      pattern: 'remount/status/(?<id>.+)',
      synopsis: 'Status of a mount move. Ward moves mounts synchronously, so a known id is always a success.',
      fields: { id: field.string() },
      operations: {
        read: async (_req, f) => ({ data: { migration_id: f.id, migration_info: { status: 'success' } } }),
      },
    }),
  ];
}
