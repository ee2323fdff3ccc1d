import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Ward's token helper: the file `~/.ward-token`, as Vault's internal helper uses `~/.vault-token`. It is written
 * with mode 0600 (atomically, through a temporary file). `~/.vault-token` is deliberately never read: it holds a
 * credential for a different server, and sending it to a Ward server would disclose it.
 */
export class TokenHelper {
  constructor(private readonly home: string = homedir()) {}

  /** The file the token is kept in. */
  get path(): string {
    return join(this.home, '.ward-token');
  }

  /** The stored token, trimmed; '' when there is none. */
  get(): string {
    try {
      return readFileSync(this.path, 'utf8').trim();
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return '';
      throw e;
    }
  }

  /** Stores a token for later commands. */
  store(token: string): void {
    const tmp = join(dirname(this.path), `.ward-token.${process.pid}.tmp`);
    writeFileSync(tmp, token, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }

  /** Removes the stored token. */
  erase(): void {
    rmSync(this.path, { force: true });
  }
}
