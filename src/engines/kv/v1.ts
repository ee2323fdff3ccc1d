import {
  definePath,
  field,
  getJSON,
  invalidRequest,
  parseDurationSeconds,
  putJSON,
  type Engine,
  type EngineRequest,
} from '../../framework/index.js';
import { isJsonObject, type JsonObject } from './json-util.js';

/**
 * KV version 1 (Vault's "passthrough" backend, also mounted as `generic`): one storage entry per secret, at the
 * secret's own path, holding the written map as JSON. No versions, no metadata.
 */

const HELP = `
The kv backend reads and writes arbitrary secrets to the storage backend. The secrets are encrypted by Ward before
they reach storage.

A "ttl" (or "lease") key in a secret is returned as the lease duration when the secret is read: a hint to readers
to read the value again before it elapses. Nothing expires or is revoked.
`;

/** Where a list of `path` looks: a folder prefix, never the storage root's "/". */
export function listPrefix(path: string): string {
  return path === '' || path.endsWith('/') ? path : `${path}/`;
}

/**
 * The refresh hint of a v1 read: the stored `ttl` key (else `lease`) as a duration, else the mount's default lease
 * TTL. An unparseable value falls back to the default, as Vault's does.
 */
export function leaseHint(data: JsonObject, req: EngineRequest): number {
  const raw = Object.hasOwn(data, 'ttl') ? data.ttl : Object.hasOwn(data, 'lease') ? data.lease : undefined;
  if (raw !== undefined) {
    try {
      return parseDurationSeconds(raw, 'ttl');
    } catch {
      /* fall back to the default below */
    }
  }
  return req.system.defaultLeaseTTL();
}

/** Checks a v1-style write; the error texts are Vault's. */
export function checkWrite(path: string, data: Record<string, unknown>): void {
  if (path === '') throw invalidRequest('missing path');
  // A key ending in "/" would collide with the folder of the same name in listings.
  if (path.endsWith('/')) throw invalidRequest('path must not end with "/"');
  if (Object.keys(data).length === 0) throw invalidRequest('missing data fields');
}

/** A KV v1 engine instance (stateless: everything lives in storage). */
export function createKvV1(): Engine {
  const fields = { path: field.string({ description: 'Location of the secret.', default: '' }) };
  return {
    help: HELP,
    paths: [
      definePath({
        pattern: '(?<path>.*)',
        fields,
        synopsis: 'Pass-through secret storage: read and write arbitrary data.',
        help: 'Writes replace the whole secret. A "ttl" key sets the lease duration returned on read.',
        existenceCheck: async (req, f) => f.path !== '' && (await req.storage.get(f.path)) !== null,
        operations: {
          read: async (req, f) => {
            if (f.path === '') return null;
            const stored = await getJSON<unknown>(req.storage, f.path);
            if (!isJsonObject(stored)) return null;
            return { data: stored, leaseDuration: leaseHint(stored, req) };
          },
          update: async (req, f) => {
            // The body is the secret: arbitrary keys and JSON values, so no declared fields.
            checkWrite(f.path, req.data);
            await putJSON(req.storage, f.path, req.data);
            return null;
          },
          delete: async (req, f) => {
            if (f.path !== '') await req.storage.delete(f.path);
            return null;
          },
          list: async (req, f) => {
            const keys = await req.storage.list(listPrefix(f.path));
            return keys.length === 0 ? null : { data: { keys } };
          },
        },
      }),
    ],
  };
}
