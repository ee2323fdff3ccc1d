import type { Engine } from '../framework/engine.js';
import type { Storage } from '../framework/storage.js';
import type { MountEntry, MountTableName } from './mount-entry.js';

/** A live mount: its table row, its engine instance and its storage view. */
export interface MountedEngine {
  table: MountTableName;
  entry: MountEntry;
  engine: Engine;
  storage: Storage;
  /** Full path from the API root: `secret/`, `auth/approle/`. */
  fullPath: string;
}

export interface RouteMatch {
  mount: MountedEngine;
  /** The request path below the mount. */
  relPath: string;
}

/**
 * Longest-prefix routing over the live mounts. Kept sorted by path length, longest first, so the first prefix hit
 * is the most specific mount.
 */
export class Router {
  private mounts: MountedEngine[] = [];

  add(mount: MountedEngine): void {
    this.mounts = [...this.mounts.filter((m) => m.fullPath !== mount.fullPath), mount].sort((a, b) => b.fullPath.length - a.fullPath.length);
  }

  remove(fullPath: string): MountedEngine | undefined {
    const found = this.mounts.find((m) => m.fullPath === fullPath);
    this.mounts = this.mounts.filter((m) => m.fullPath !== fullPath);
    return found;
  }

  clear(): MountedEngine[] {
    const all = this.mounts;
    this.mounts = [];
    return all;
  }

  all(): readonly MountedEngine[] {
    return this.mounts;
  }

  get(fullPath: string): MountedEngine | undefined {
    return this.mounts.find((m) => m.fullPath === fullPath);
  }

  /** The mount serving `path`; a path equal to a mount without its trailing slash (`secret`) matches it too. */
  match(path: string): RouteMatch | null {
    for (const mount of this.mounts) {
      if (path.startsWith(mount.fullPath)) return { mount, relPath: path.slice(mount.fullPath.length) };
      if (`${path}/` === mount.fullPath) return { mount, relPath: '' };
    }
    return null;
  }

  /** Whether `fullPath` would overlap an existing mount (same path, inside one, or containing one). */
  conflict(fullPath: string): MountedEngine | undefined {
    return this.mounts.find((m) => fullPath.startsWith(m.fullPath) || m.fullPath.startsWith(fullPath));
  }
}
