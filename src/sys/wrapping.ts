import type { Core } from '../core/core.js';
import { definePath, field, type EngineResponse, type PathSpec } from '../framework/index.js';
import { invalidRequest } from '../lib/errors.js';

/**
 * sys/wrapping/* (§2.7). These paths are reachable without a token policy check (the wrapping token itself is the
 * credential); `wrap` needs `X-Vault-Wrap-TTL`, which the core applies to its answer.
 */
export function wrappingPaths(core: Core): PathSpec[] {
  const tokenOf = (req: Parameters<NonNullable<PathSpec['operations']['update']>>[0], given: string | undefined): string => {
    const header = core.rawTokens.get(req) ?? '';
    if (given && header && given !== header && !req.auth) throw invalidRequest('the caller token is not valid');
    return given || header;
  };
  return [
    definePath({
      pattern: 'wrapping/wrap',
      synopsis: 'Wraps the request body in a single-use token (needs X-Vault-Wrap-TTL).',
      fields: {},
      operations: {
        update: async (req) => {
          if (!core.rawWrapTTL.get(req)) throw invalidRequest('wrapping requested without a TTL: set X-Vault-Wrap-TTL');
          return { data: req.data } as EngineResponse;
        },
      },
    }),
    definePath({
      pattern: 'wrapping/unwrap',
      synopsis: 'Returns the response a wrapping token holds, once.',
      fields: { token: field.string({ sensitive: true }) },
      operations: { update: async (req, f) => core.wrapping.unwrap(tokenOf(req, f.token)) as Promise<EngineResponse> },
    }),
    definePath({
      pattern: 'wrapping/lookup',
      synopsis: 'Looks up a wrapping token without using it.',
      fields: { token: field.string({ sensitive: true }) },
      operations: {
        update: async (req, f) => ({ data: await core.wrapping.lookup(tokenOf(req, f.token)) }),
        read: async (req, f) => ({ data: await core.wrapping.lookup(tokenOf(req, f.token)) }),
      },
    }),
    definePath({
      pattern: 'wrapping/rewrap',
      synopsis: 'Moves a wrapped response to a new wrapping token.',
      fields: { token: field.string({ sensitive: true }) },
      operations: { update: async (req, f) => core.wrapping.rewrap(tokenOf(req, f.token), req.id, req.remoteAddress) as Promise<EngineResponse> },
    }),
  ];
}
