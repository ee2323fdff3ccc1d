import type { Client } from './client.js';
import { ResponseError, goPathJoin } from './client.js';
import { sanitizePath } from './command.js';
import { isRecord } from './secret.js';
import type { Ui } from './ui.js';

/**
 * The KV helpers of Vault's `kv` commands (command/kv_helpers.go): the version preflight, the `data/` and
 * `metadata/` path prefixing, and the `==== Title ====` headers.
 */

/** Result of the preflight: where the mount is and whether it is KV version 2. */
export interface KvMount {
  mountPath: string;
  v2: boolean;
}

/**
 * `GET sys/internal/ui/mounts/<path>` as Vault's CLI sends it (never wrapped): 404 means an old server, treated
 * as KV v1; otherwise `data.path` is the mount and `data.options.version` its version.
 */
export async function kvPreflight(client: Client, path: string): Promise<KvMount> {
  let res;
  try {
    res = await client.call('GET', `sys/internal/ui/mounts/${path}`, { wrap: false });
  } catch (e) {
    if (e instanceof ResponseError && e.statusCode === 404) return { mountPath: '', v2: false };
    throw e;
  }
  const body = res.json;
  if (!isRecord(body)) throw new Error('nil response from pre-flight request');
  const data = isRecord(body.data) ? body.data : {};
  const mountPath = typeof data.path === 'string' ? data.path : '';
  const options = isRecord(data.options) ? data.options : undefined;
  return { mountPath, v2: options?.version === '2' };
}

/** Vault's addPrefixToKVPath: `secret/foo` under mount `secret/` with prefix `data` is `secret/data/foo`. */
export function addPrefixToKVPath(p: string, mountPath: string, apiPrefix: string): string {
  if (p === mountPath || p === mountPath.replace(/\/$/, '')) return goPathJoin(mountPath, apiPrefix);
  let mp = mountPath;
  let tp = p.startsWith(mp) ? p.slice(mp.length) : p;
  for (;;) {
    if (tp !== p) break;
    const slash = mp.indexOf('/');
    const rest = slash < 0 ? '' : mp.slice(slash + 1);
    if (slash < 0 || rest === '') break;
    mp = rest.replace(/\/$/, '');
    tp = tp.startsWith(mp) ? tp.slice(mp.length) : tp;
  }
  return goPathJoin(mp, apiPrefix, tp);
}

/** Vault's padEqualSigns: `== Title ==` padded to `totalLen` columns (at least two `=` each side, even count). */
export function padEqualSigns(header: string, totalLen: number): string {
  let equalSigns = totalLen - (Buffer.byteLength(header, 'utf8') + 2);
  if (equalSigns <= 0) equalSigns = 4;
  if (equalSigns % 2 !== 0) equalSigns++;
  const side = '='.repeat(equalSigns / 2);
  return `${side} ${header} ${side}`;
}

/** Vault's getHeaderForMap: a header as wide as the Key/Value table below it. */
export function getHeaderForMap(header: string, data: Record<string, unknown>): string {
  let maxKey = 0;
  for (const k of Object.keys(data)) maxKey = Math.max(maxKey, Buffer.byteLength(k, 'utf8'));
  return padEqualSigns(header, maxKey + 4 + 5);
}

/** Vault's outputPath: `== Secret Path ==`, the path, and a blank line. */
export function outputPath(ui: Ui, path: string, title: string): void {
  ui.out(padEqualSigns(title, Buffer.byteLength(path, 'utf8')));
  ui.out(path);
  ui.out('');
}

/** How a kv command's path argument was resolved. */
export interface KvTarget extends KvMount {
  /** The secret path including the mount (`secret/foo`). */
  partialPath: string;
  /** Whether `-mount` was used. */
  mountFlagSyntax: boolean;
}

/**
 * Resolves `secret/foo` or `-mount=secret foo` the way `vault kv get/put/...` do: preflight on the mount (or on
 * the whole path), then, for v2 with `-mount`, join the mount and the key.
 */
export async function resolveKvTarget(client: Client, arg: string, mountFlag: string): Promise<KvTarget> {
  if (mountFlag !== '') {
    const mount = sanitizePath(mountFlag);
    let partialPath = sanitizePath(arg);
    const pre = await kvPreflight(client, mount);
    const mountPath = pre.mountPath !== '' ? pre.mountPath : `${mount}/`;
    if (pre.v2) partialPath = goPathJoin(mountPath, partialPath);
    return { mountPath, v2: pre.v2, partialPath, mountFlagSyntax: true };
  }
  const partialPath = sanitizePath(arg);
  const pre = await kvPreflight(client, partialPath);
  return { ...pre, partialPath, mountFlagSyntax: false };
}

/** The API path of a kv target: `<mount>/<prefix>/<key>` for v2, the plain path for v1. */
export function kvApiPath(t: KvTarget, apiPrefix: string): string {
  if (t.v2) return addPrefixToKVPath(t.partialPath, t.mountPath, apiPrefix);
  return t.mountFlagSyntax ? goPathJoin(t.mountPath, t.partialPath) : t.partialPath;
}

/** Vault's kvParseVersionsFlags: `-versions=1,2 -versions=3` → ["1","2","3"]. */
export function parseVersionsFlags(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',').map((x) => x.trim()).filter((x) => x !== ''));
}
