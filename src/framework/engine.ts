import type { Logger } from './logger.js';
import type { PathSpec } from './path.js';
import type { SecretSpec } from './secret.js';
import type { Storage } from './storage.js';
import type { EngineRequest, MountInfo, SystemView } from './types.js';

/** An engine instance on one mount: a declaration of paths and secret types, plus optional lifecycle hooks. */
export interface Engine {
  /** Markdown shown by `path-help <mount>`. */
  help: string;
  paths: PathSpec[];
  secrets?: SecretSpec[];
  special?: {
    /** Path patterns (relative to the mount, trailing `*` = prefix) reachable without a token, e.g. `login`. */
    unauthenticated?: string[];
    /** Path patterns that need `sudo` in addition to the operation's capability. */
    sudo?: string[];
  };
  /**
   * Auth methods: asked when a token issued by one of this method's logins is renewed. Return the TTL limits that
   * apply now (they may have changed on the role), or throw `permission denied` when the login is no longer valid
   * (role or user deleted, policies changed). Absent: renewals are allowed within the token's own limits.
   */
  renewLogin?(req: EngineRequest, login: LoginView): Promise<{ ttl: number; maxTTL: number; period: number }>;
  /** Called once after mount or unseal, before the first request. */
  init?(): Promise<void>;
  /** Called about once a minute while unsealed. */
  periodic?(): Promise<void>;
  /** Called when the mount is disabled or the server seals; release connections here. */
  close?(): Promise<void>;
}

export interface EngineContext {
  mount: MountInfo;
  storage: Storage;
  system: SystemView;
  logger: Logger;
}

/** Registered per mount type; `create` runs once per mount. */
export interface EngineFactory {
  /** Mount type (`kv`, `database`, `approle`). */
  type: string;
  kind: 'secret' | 'auth';
  create(ctx: EngineContext): Engine | Promise<Engine>;
}

/** What an auth method sees of an earlier login when its token is renewed. */
export interface LoginView {
  policies: string[];
  metadata: Record<string, string>;
  /** The `internal` data the login returned. */
  internal: Record<string, unknown>;
  /** Name of the entity alias the login used. */
  aliasName: string;
}
