import { createHmac, randomBytes } from 'node:crypto';
import { getJSON, putJSON, type Storage } from '../../framework/index.js';

/** Storage key of the mount's HMAC salt. */
export const SALT_KEY = 'salt';

/** Observes every HMAC computed (tests count them to prove both login failure branches do the same work). */
export type HmacHook = () => void;

/** Computes salted digests of secrets; secrets are stored and compared only in this form. */
export interface Hasher {
  /** Hex HMAC-SHA256 of `value` under the mount's salt. */
  mac(value: string): string;
}

interface StoredSalt {
  salt: string;
}

/**
 * Holds the mount's 32-byte salt: read from storage, or generated and stored on first use. Loading is single-flight,
 * so two first requests racing cannot each invent a salt and leave one of them hashing under the wrong key.
 */
export class MountKeys {
  private loading: Promise<Hasher> | undefined;

  constructor(private readonly hook?: HmacHook) {}

  hasher(storage: Storage): Promise<Hasher> {
    this.loading ??= this.load(storage).catch((err: unknown) => {
      // Let the next request try again rather than caching a storage failure forever.
      this.loading = undefined;
      throw err;
    });
    return this.loading;
  }

  private async load(storage: Storage): Promise<Hasher> {
    let stored = await getJSON<StoredSalt>(storage, SALT_KEY);
    if (stored === null) {
      stored = { salt: randomBytes(32).toString('base64') };
      await putJSON(storage, SALT_KEY, stored);
    }
    const key = Buffer.from(stored.salt, 'base64');
    const hook = this.hook;
    return {
      mac(value: string): string {
        hook?.();
        return createHmac('sha256', key).update(value, 'utf8').digest('hex');
      },
    };
  }
}
