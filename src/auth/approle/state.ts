import { KeyedLock } from '../../lib/keyed-lock.js';
import { MountKeys, type HmacHook } from './hmac.js';

/** Test seams of an AppRole mount. */
export interface ApproleHooks {
  /** Called on every HMAC computation. */
  onHmac?: HmacHook;
}

/**
 * Per-mount, in-process state shared by the paths: the salt holder and the locks. Role writes are serialised per
 * role name; secret-ID reads-then-writes per secret ID; role-ID uniqueness checks per role-ID digest.
 */
export class ApproleState {
  readonly keys: MountKeys;
  readonly roleLocks = new KeyedLock();
  readonly secretIdLocks = new KeyedLock();
  readonly roleIdLocks = new KeyedLock();

  constructor(hooks: ApproleHooks = {}) {
    this.keys = new MountKeys(hooks.onHmac);
  }
}
