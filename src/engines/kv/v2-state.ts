import { internalError, type EngineRequest, type EngineResponse } from '../../framework/index.js';
import type { JsonObject } from './json-util.js';
import type { KeyedLock } from '../../lib/keyed-lock.js';
import type { MetadataCache } from './metadata-cache.js';
import { isDeleted, readVersion, versionMetadataResponse, type KeyMetadata, type VersionMeta } from './store.js';

/** Per-mount state of a KV v2 engine, shared by its path families. */
export interface V2State {
  /** Serialises read-modify-write of one secret's metadata. */
  lock: KeyedLock;
  /** Metadata for readers (writers read their own copy from storage under the lock). */
  metadata: MetadataCache;
}

export type LoadedVersion =
  | { kind: 'missing' }
  /** Deleted or destroyed: Vault answers 404 but still shows the version's metadata. */
  | { kind: 'gone'; meta: Readonly<KeyMetadata>; version: number; vm: Readonly<VersionMeta> }
  | { kind: 'found'; meta: Readonly<KeyMetadata>; version: number; vm: Readonly<VersionMeta>; data: JsonObject };

/** Loads version `requested` of `path` (0 or less = the current one), deciding deletion at `req.system.now()`. */
export async function loadVersion(state: V2State, req: EngineRequest, path: string, requested: number): Promise<LoadedVersion> {
  const meta = state.metadata.peek(path) ?? (await state.metadata.read(req.storage, path));
  if (!meta) return { kind: 'missing' };
  const version = requested > 0 ? requested : meta.current_version;
  const vm = meta.versions[String(version)];
  if (!vm) return { kind: 'missing' };
  if (vm.destroyed || isDeleted(vm, req.system.now())) return { kind: 'gone', meta, version, vm };
  const record = await readVersion(req.storage, path, version);
  // Metadata says the version is live, so its record must exist: anything else is corruption, not "not found".
  if (!record) throw internalError('could not find version data');
  return { kind: 'found', meta, version, vm, data: record.data };
}

/** Vault's 404-with-body for a deleted or destroyed version, under the given data key (`data` or `subkeys`). */
export function goneResponse(loaded: Extract<LoadedVersion, { kind: 'gone' }>, dataKey: string): EngineResponse {
  return {
    data: { [dataKey]: null, metadata: versionMetadataResponse(loaded.meta, loaded.version, loaded.vm) },
    httpStatus: 404,
  };
}
