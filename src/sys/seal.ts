import type { Core } from '../core/core.js';
import { definePath, field, type PathSpec } from '../framework/index.js';
import { invalidRequest } from '../lib/errors.js';
import { plainJSON } from './respond.js';

/** Decodes an unseal share: hex as Vault prints it, else base64. Malformed text is a 400. */
export function decodeShare(key: string): Buffer {
  const text = key.trim();
  if (/^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0) return Buffer.from(text, 'base64');
  throw invalidRequest("'key' must be a valid hex or base64 string");
}

/** sys/seal-status, sys/unseal, sys/seal (§2.1). */
export function sealPaths(core: Core): PathSpec[] {
  return [
    definePath({
      pattern: 'seal-status',
      synopsis: 'Returns the seal status of the server.',
      fields: {},
      operations: { read: async () => plainJSON(await core.sealStatus()) },
    }),
    definePath({
      pattern: 'unseal',
      synopsis: 'Submits one unseal key share; the server unseals when the threshold is reached.',
      fields: {
        key: field.string({ description: 'One unseal key share, hex or base64.', sensitive: true }),
        reset: field.bool({ description: 'Discards the shares submitted so far.', default: false }),
        migrate: field.bool({ description: 'Seal migration; not supported.', default: false }),
      },
      operations: {
        update: async (_req, f) => {
          if (f.migrate) throw invalidRequest('seal migration is not supported by Ward');
          if (!(await core.initialized())) throw invalidRequest('Vault is not initialized');
          if (!f.reset && (f.key === undefined || f.key === '')) {
            throw invalidRequest("'key' must be specified in request body as JSON, or 'reset' set to true");
          }
          if (f.reset && !core.sealed) throw invalidRequest('vault is unsealed');
          const share = f.reset ? null : decodeShare(f.key as string);
          return plainJSON(await core.unseal(share, f.reset));
        },
      },
    }),
    definePath({
      pattern: 'seal',
      synopsis: 'Seals the server: every key is forgotten until it is unsealed again.',
      fields: {},
      operations: {
        update: async () => {
          await core.seal();
          return null;
        },
      },
    }),
  ];
}
