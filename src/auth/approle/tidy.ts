import { getJSON, type Logger, type Storage } from '../../framework/index.js';
import type { ApproleState } from './state.js';
import { accessorKey, deleteSecretIdOps, secretIdKey, type AccessorIndex, type SecretIdEntry } from './store.js';

const PAGE = 500;

/** Every entry one level below `prefix`, read page by page so a role with many secret IDs is not listed at once. */
async function* listPaged(storage: Storage, prefix: string): AsyncGenerator<string> {
  let after: string | undefined;
  for (;;) {
    const page = await storage.list(prefix, after === undefined ? { limit: PAGE } : { after, limit: PAGE });
    yield* page;
    if (page.length < PAGE) return;
    after = page[page.length - 1];
  }
}

/**
 * One pass over the mount: deletes expired secret IDs (with their accessors), secret IDs whose accessor is gone,
 * and accessors whose secret ID is gone. Each secret ID is handled under its lock, so a pass never races a login.
 * Returns the number of storage entries removed.
 */
export async function tidySecretIds(storage: Storage, state: ApproleState, now: () => number): Promise<number> {
  let removed = 0;
  for await (const roleDir of listPaged(storage, 'secret_id/')) {
    if (!roleDir.endsWith('/')) continue;
    const roleDigest = roleDir.slice(0, -1);
    for await (const digest of listPaged(storage, `secret_id/${roleDigest}/`)) {
      if (digest.endsWith('/')) continue;
      const key = secretIdKey(roleDigest, digest);
      removed += await state.secretIdLocks.run(key, async () => {
        const entry = await getJSON<SecretIdEntry>(storage, key);
        if (entry === null) return 0;
        if ((await getJSON<AccessorIndex>(storage, accessorKey(entry.accessor))) === null) {
          await storage.delete(key);
          return 1;
        }
        if (entry.expirationTime === 0 || now() < entry.expirationTime) return 0;
        await storage.batch(deleteSecretIdOps(roleDigest, digest, entry.accessor));
        return 2;
      });
    }
  }
  for await (const accessor of listPaged(storage, 'accessor/')) {
    if (accessor.endsWith('/')) continue;
    const index = await getJSON<AccessorIndex>(storage, accessorKey(accessor));
    if (index === null) continue;
    const key = secretIdKey(index.roleDigest, index.secretIdDigest);
    removed += await state.secretIdLocks.run(key, async () => {
      if ((await getJSON<SecretIdEntry>(storage, key)) !== null) return 0;
      await storage.delete(accessorKey(accessor));
      return 1;
    });
  }
  return removed;
}

/**
 * Runs tidy passes one at a time: the `tidy/secret-id` endpoint starts one in the background (answering at once, as
 * Vault does), and the mount's periodic hook runs one about once a minute or joins the pass already running.
 */
export class SecretIdTidy {
  private running: Promise<number> | undefined;

  constructor(private readonly state: ApproleState) {}

  /** Starts a background pass; false when one is already running. */
  start(storage: Storage, now: () => number, logger: Logger): boolean {
    if (this.running !== undefined) return false;
    void this.run(storage, now).catch((err: unknown) => {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'tidy of approle secret IDs failed');
    });
    return true;
  }

  /** Runs a pass, or joins the one in flight; resolves with the number of entries removed. */
  run(storage: Storage, now: () => number): Promise<number> {
    this.running ??= tidySecretIds(storage, this.state, now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Resolves once no pass is running (tests, shutdown). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }
}
