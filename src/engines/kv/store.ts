import { hash } from 'node:crypto';
import { getJSON, rfc3339Nano, type BatchOp, type Storage } from '../../framework/index.js';
import type { JsonObject } from './json-util.js';

/**
 * Storage layout of a KV v2 mount (relative to the mount's storage view):
 *
 * - `config`: the mount-wide {@link KvConfig}.
 * - `metadata/<path>`: one {@link KeyMetadata} per secret. Stored under its plain path so that
 *   `LIST metadata/<folder>/` is one storage list.
 * - `versions/<sha256(path)>/<n>`: one {@link VersionRecord} per version, so reading a version loads only that
 *   version. The hash keeps version keys bounded in length and independent of `/` in secret paths.
 *
 * Times are milliseconds since the epoch (the clock's unit); responses format them as RFC 3339.
 */

/** Vault's default when neither the mount nor the key sets `max_versions`. */
export const DEFAULT_MAX_VERSIONS = 10;

/** `delete_version_after` stored on the mount config when a negative duration disabled the feature. */
export const DELETE_VERSION_AFTER_DISABLED = -1;

export interface KvConfig {
  /** 0 = unset (10). */
  max_versions: number;
  cas_required: boolean;
  /** Seconds; 0 = unset, -1 = disabled for every key. */
  delete_version_after: number;
}

export interface VersionMeta {
  created_time: number;
  /** When the version counts as deleted (soft delete, or `delete_version_after`); null = never. */
  deletion_time: number | null;
  destroyed: boolean;
}

export interface KeyMetadata {
  key: string;
  /** By version number (as a decimal string). Holds at most the newest `max_versions` versions. */
  versions: Record<string, VersionMeta>;
  current_version: number;
  /** As in Vault: 0 until the first version is pruned. */
  oldest_version: number;
  created_time: number;
  updated_time: number;
  /** 0 = unset. */
  max_versions: number;
  cas_required: boolean;
  /** Seconds; 0 = unset. */
  delete_version_after: number;
  /** null when none is set (Vault returns `null`, not `{}`). */
  custom_metadata: Record<string, string> | null;
}

export interface VersionRecord {
  data: JsonObject;
  created_time: number;
}

/** Storage key of the mount config. */
export const CONFIG_KEY = 'config';

/** Storage key of a secret's metadata record. */
export function metadataKey(path: string): string {
  return `metadata/${path}`;
}

/** Storage key of one version's record. */
export function versionKey(path: string, version: number): string {
  let digest = versionDirs.get(path);
  if (digest === undefined) {
    digest = hash('sha256', path, 'hex');
    if (versionDirs.size >= VERSION_DIRS_MAX) versionDirs.clear();
    versionDirs.set(path, digest);
  }
  return `versions/${digest}/${version}`;
}

/** SHA-256 of recently used secret paths (their version folders): a read of a hot secret hashes nothing. */
const versionDirs = new Map<string, string>();
const VERSION_DIRS_MAX = 4_096;

/** The mount config, with defaults for anything never set. */
export async function readConfig(storage: Storage): Promise<KvConfig> {
  const stored = await getJSON<Partial<KvConfig>>(storage, CONFIG_KEY);
  return {
    max_versions: stored?.max_versions ?? 0,
    cas_required: stored?.cas_required ?? false,
    delete_version_after: stored?.delete_version_after ?? 0,
  };
}

/** A secret's metadata, or null when the key does not exist (an empty path never does). */
export async function readMetadata(storage: Storage, path: string): Promise<KeyMetadata | null> {
  if (path === '') return null;
  return getJSON<KeyMetadata>(storage, metadataKey(path));
}

/** One version's record, or null when absent (pruned, destroyed or never written). */
export function readVersion(storage: Storage, path: string, version: number): Promise<VersionRecord | null> {
  return getJSON<VersionRecord>(storage, versionKey(path, version));
}

/** Metadata for a key that is about to be created. */
export function emptyMetadata(path: string, now: number): KeyMetadata {
  return {
    key: path,
    versions: {},
    current_version: 0,
    oldest_version: 0,
    created_time: now,
    updated_time: now,
    max_versions: 0,
    cas_required: false,
    delete_version_after: 0,
    custom_metadata: null,
  };
}

/** A batch `put` of a JSON value. */
export function jsonPut(key: string, value: unknown): BatchOp {
  return { op: 'put', key, value: Buffer.from(JSON.stringify(value), 'utf8') };
}

/** Whether a version reads as deleted at `now` (Vault: deletion time before now). */
export function isDeleted(vm: VersionMeta, now: number): boolean {
  return vm.deletion_time !== null && vm.deletion_time <= now;
}

/** Recently formatted times: every read of a secret formats the same few timestamps. */
const formattedTimes = new Map<number, string>();
const FORMATTED_TIMES_MAX = 4_096;

/** RFC 3339 with nanoseconds, or "" for "no time" (Vault's empty deletion_time). */
export function formatTime(ms: number | null): string {
  if (ms === null) return '';
  let text = formattedTimes.get(ms);
  if (text === undefined) {
    text = rfc3339Nano(ms);
    if (formattedTimes.size >= FORMATTED_TIMES_MAX) formattedTimes.clear();
    formattedTimes.set(ms, text);
  }
  return text;
}

/** The per-version metadata object of data responses. */
export function versionMetadataResponse(meta: Readonly<KeyMetadata>, version: number, vm: Readonly<VersionMeta>): JsonObject {
  return {
    created_time: formatTime(vm.created_time),
    // A copy: `meta` may be the shared cached entry.
    custom_metadata: meta.custom_metadata === null ? null : { ...meta.custom_metadata },
    deletion_time: formatTime(vm.deletion_time),
    destroyed: vm.destroyed,
    version,
  };
}

/**
 * When a version created (or undeleted) at `from` becomes deleted: `from` plus the smaller non-zero of the mount's
 * and the key's `delete_version_after`; null when neither is set or the mount disabled the feature.
 */
export function scheduledDeletion(from: number, config: KvConfig, meta: KeyMetadata): number | null {
  if (config.delete_version_after < 0) return null;
  const candidates = [config.delete_version_after, meta.delete_version_after].filter((s) => s > 0);
  if (candidates.length === 0) return null;
  return from + Math.min(...candidates) * 1000;
}

/** The number of versions a key keeps: the larger of the key's and the mount's setting, else 10 (Vault ≥ 1.12). */
export function effectiveMaxVersions(config: KvConfig, meta: KeyMetadata): number {
  const larger = Math.max(config.max_versions, meta.max_versions);
  return larger > 0 ? larger : DEFAULT_MAX_VERSIONS;
}

/**
 * Adds a version to `meta` (in place) and returns the storage operations that persist it atomically: the version
 * record, the metadata, and the deletion of versions pushed out of the `max_versions` window.
 */
export function appendVersion(
  meta: KeyMetadata,
  data: JsonObject,
  config: KvConfig,
  now: number,
): { ops: BatchOp[]; version: number; vm: VersionMeta } {
  const version = meta.current_version + 1;
  const vm: VersionMeta = { created_time: now, deletion_time: scheduledDeletion(now, config, meta), destroyed: false };
  meta.current_version = version;
  meta.versions[String(version)] = vm;
  meta.updated_time = now;

  const ops: BatchOp[] = [jsonPut(versionKey(meta.key, version), { data, created_time: now } satisfies VersionRecord)];
  const max = effectiveMaxVersions(config, meta);
  // Vault's sliding window: once more than `max` versions are kept, everything up to current - max goes (a loop,
  // because max_versions may have been lowered since the last write).
  if (meta.current_version - meta.oldest_version >= max) {
    const lastToDelete = meta.current_version - max;
    for (let v = meta.oldest_version; v <= lastToDelete; v++) {
      if (v > 0) ops.push({ op: 'delete', key: versionKey(meta.key, v) });
      delete meta.versions[String(v)];
    }
    meta.oldest_version = lastToDelete + 1;
  }
  ops.push(jsonPut(metadataKey(meta.key), meta));
  return { ops, version, vm };
}
