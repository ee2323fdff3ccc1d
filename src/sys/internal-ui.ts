import type { Core } from '../core/core.js';
import { definePath, field, type PathSpec } from '../framework/index.js';
import { notFound, permissionDenied } from '../lib/errors.js';
import { mountEntryJSON } from '../router/mount-entry.js';

/**
 * sys/internal/ui/mounts: the mount listing the UI uses, and — with a path — the KV-version preflight that the Go
 * client, consul-template and `vault kv` send before every kv call (§2.8). 404 there means "kv v1".
 */
export function internalUiPaths(core: Core): PathSpec[] {
  const brief = (e: { type: string; description: string; options: Record<string, string> }): Record<string, unknown> => ({
    type: e.type,
    description: e.description,
    options: Object.keys(e.options).length > 0 ? e.options : null,
  });
  return [
    definePath({
      pattern: 'internal/ui/mounts',
      synopsis: 'Lists the mounts visible to the caller.',
      fields: {},
      operations: {
        read: async (req) => {
          const secret: Record<string, unknown> = {};
          const auth: Record<string, unknown> = {};
          // Without a token only mounts tuned `listing_visibility=unauth` show, as in Vault.
          const showAll = req.auth !== null;
          for (const e of core.mounts.entries('mounts')) if (showAll || e.config.listingVisibility === 'unauth') secret[e.path] = brief(e);
          for (const e of core.mounts.entries('auth')) if (showAll || e.config.listingVisibility === 'unauth') auth[e.path] = brief(e);
          return { data: { secret, auth } };
        },
      },
    }),
    definePath({
      pattern: 'internal/ui/mounts/(?<path>.+)',
      synopsis: 'The mount that serves a path, for clients that must know a kv mount\'s version.',
      fields: { path: field.string() },
      operations: {
        read: async (req, f) => {
          if (!req.auth) throw permissionDenied();
          const route = core.router.match(f.path as string);
          if (!route) throw notFound();
          const prefix = route.mount.table === 'auth' ? 'auth/' : '';
          return { data: { ...mountEntryJSON(route.mount.entry), path: `${prefix}${route.mount.entry.path}` } };
        },
      },
    }),
  ];
}
