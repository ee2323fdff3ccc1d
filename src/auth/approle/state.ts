import { KeyedLock } from '../../lib/keyed-lock.js';
import { MountKeys, type HmacHook } from './hmac.js';
import { RoleCache, SecretIdCache, SecretIdLocks } from './login-cache.js';

/** Test seams of an AppRole mount. */
export interface ApproleHooks {
  /** Called on every HMAC computation. */
  onHmac?: HmacHook;
}

/**
 * Per-mount, in-process state shared by the paths: the salt holder, the locks and the login caches. Role writes are
 * serialised per role name; secret-ID reads-then-writes per secret ID (and the lock keeps the secret-ID cache in
 * step); role-ID uniqueness checks per role-ID digest.
 */
export class ApproleState {
  readonly keys: MountKeys;
  readonly roles = new RoleCache();
  readonly secretIds = new SecretIdCache();
  readonly roleLocks = new KeyedLock();
  readonly secretIdLocks = new SecretIdLocks(this.secretIds);
  readonly roleIdLocks = new KeyedLock();

  constructor(hooks: ApproleHooks = {}) {
    this.keys = new MountKeys(hooks.onHmac);
  }
}
