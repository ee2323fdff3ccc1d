import {
  definePath,
  deletePrefix,
  field,
  getJSON,
  permissionDenied,
  putJSON,
  type EngineFactory,
  type EngineRequest,
  type Storage,
} from '../../framework/index.js';
import { isJsonObject } from '../kv/json-util.js';
import { checkWrite, listPrefix } from '../kv/v1.js';

/**
 * Cubbyhole: the KV v1 API, but private to each token. Every key is stored under the caller's token handle (a
 * salted hash, never the token), so one token can neither see nor guess another's entries, and revoking a token
 * removes its whole cubbyhole with one prefix delete.
 */

const HELP = `
The cubbyhole backend reads and writes arbitrary secrets, like kv version 1, but namespaced per token: a token can
only read and write its own values, with no sharing possible. When the token is revoked, everything it stored here
is removed too.
`;

/** The storage prefix of one token's cubbyhole. */
function tokenPrefix(tokenHandle: string): string {
  return `${tokenHandle}/`;
}

/** The caller's prefix; a request without a token (or with an empty handle) has no cubbyhole. */
function callerPrefix(req: EngineRequest): string {
  const handle = req.auth?.tokenHandle ?? '';
  if (handle === '') throw permissionDenied();
  return tokenPrefix(handle);
}

/**
 * Removes every entry of the cubbyhole of `tokenHandle`. The core calls this with the cubbyhole mount's storage
 * when a token is revoked.
 */
export async function destroyCubbyhole(storage: Storage, tokenHandle: string): Promise<void> {
  // An empty handle would make the prefix "/" or "" and could reach other tokens' entries.
  if (tokenHandle === '' || tokenHandle.includes('/')) throw new Error('cubbyhole: invalid token handle');
  await deletePrefix(storage, tokenPrefix(tokenHandle));
}

/** The `cubbyhole` engine (mounted once at `cubbyhole/`; cannot be disabled). */
export const cubbyholeEngine: EngineFactory = {
  type: 'cubbyhole',
  kind: 'secret',
  create() {
    return {
      help: HELP,
      paths: [
        definePath({
          pattern: '(?<path>.*)',
          fields: { path: field.string({ description: 'Location of the secret.', default: '' }) },
          synopsis: "Pass-through secret storage to a token-specific cubbyhole.",
          help: 'The view into the cubbyhole is different for each token. When the token is revoked all values are removed.',
          existenceCheck: async (req, f) =>
            req.auth !== null && req.auth.tokenHandle !== '' && f.path !== '' &&
            (await req.storage.get(tokenPrefix(req.auth.tokenHandle) + f.path)) !== null,
          operations: {
            read: async (req, f) => {
              const prefix = callerPrefix(req);
              if (f.path === '') return null;
              const stored = await getJSON<unknown>(req.storage, prefix + f.path);
              // No refresh hint: a cubbyhole entry lives exactly as long as its token.
              return isJsonObject(stored) ? { data: stored, leaseDuration: 0 } : null;
            },
            update: async (req, f) => {
              const prefix = callerPrefix(req);
              checkWrite(f.path, req.data);
              await putJSON(req.storage, prefix + f.path, req.data);
              return null;
            },
            delete: async (req, f) => {
              const prefix = callerPrefix(req);
              if (f.path !== '') await req.storage.delete(prefix + f.path);
              return null;
            },
            list: async (req, f) => {
              const prefix = callerPrefix(req);
              const keys = await req.storage.list(prefix + listPrefix(f.path));
              return keys.length === 0 ? null : { data: { keys } };
            },
          },
        }),
      ],
    };
  },
};
