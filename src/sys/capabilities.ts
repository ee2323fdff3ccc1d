import { definePath, field, type EngineRequest, type EngineResponse, type PathSpec } from '../framework/index.js';
import { invalidRequest } from '../lib/errors.js';
import type { ACL } from '../policy/acl.js';

/**
 * What the capabilities endpoints need from the core: the ACL of a token given by value, by accessor, or of the
 * caller. The ACL must include the token's identity policies and its entity's template context, as for requests.
 */
export interface CapabilityDeps {
  /** ACL of the token `token`; null when no such (live) token exists. */
  aclForToken(token: string): Promise<ACL | null>;
  /** ACL of the token with accessor `accessor`; null when no such token exists. */
  aclForAccessor(accessor: string): Promise<ACL | null>;
  /** ACL of the token that made `req` (the framework's `req.auth` carries no raw token). */
  aclForCaller(req: EngineRequest): Promise<ACL>;
}

const pathsFields = {
  paths: field.commaStringList({ description: 'The paths to report capabilities on (a list or a comma-separated string).' }),
  path: field.commaStringList({ description: 'Deprecated alias of `paths`.' }),
};

/**
 * `{"<path>": [caps]}` for every path, plus `capabilities` when exactly one path was asked about (kept by Vault
 * for older clients that sent a single `path`).
 */
function capabilitiesResponse(acl: ACL, paths: string[]): EngineResponse {
  const data: Record<string, unknown> = {};
  for (const path of paths) data[path] = acl.capabilities(path);
  if (paths.length === 1) data.capabilities = data[paths[0] as string];
  return { data };
}

function requestedPaths(f: { paths?: string[] | undefined; path?: string[] | undefined }): string[] {
  const paths = f.paths && f.paths.length > 0 ? f.paths : (f.path ?? []);
  if (paths.length === 0) throw invalidRequest('paths must be supplied');
  return paths;
}

/** `sys/capabilities`, `sys/capabilities-self` and `sys/capabilities-accessor` (all written, as in Vault). */
export function capabilityPaths(deps: CapabilityDeps): PathSpec[] {
  return [
    definePath({
      pattern: 'capabilities',
      synopsis: "Reports a token's capabilities on paths.",
      fields: { token: field.string({ description: 'The token to check.', sensitive: true }), ...pathsFields },
      operations: {
        update: async (_req, f) => {
          // Vault answers a missing token with a 500 ("no token found"); it is the caller's mistake, hence a 400.
          if (!f.token) throw invalidRequest('no token found');
          const paths = requestedPaths(f);
          const acl = await deps.aclForToken(f.token);
          if (!acl) throw invalidRequest('invalid token');
          return capabilitiesResponse(acl, paths);
        },
      },
    }),
    definePath({
      pattern: 'capabilities-self',
      synopsis: "Reports the calling token's capabilities on paths.",
      fields: pathsFields,
      operations: {
        update: async (req, f) => {
          const paths = requestedPaths(f);
          return capabilitiesResponse(await deps.aclForCaller(req), paths);
        },
      },
    }),
    definePath({
      pattern: 'capabilities-accessor',
      synopsis: 'Reports the capabilities on paths of the token with the given accessor.',
      fields: { accessor: field.string({ description: 'Accessor of the token to check.' }), ...pathsFields },
      operations: {
        update: async (_req, f) => {
          if (!f.accessor) throw invalidRequest('missing accessor');
          const acl = await deps.aclForAccessor(f.accessor);
          if (!acl) throw invalidRequest('invalid accessor');
          return capabilitiesResponse(acl, requestedPaths(f));
        },
      },
    }),
  ];
}
