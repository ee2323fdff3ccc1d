import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface WardProcess {
  child: ChildProcess;
  addr: string;
  /** What the child wrote on stderr (its logs). */
  stderr(): string;
  /** SIGKILL, no goodbye: what a crash or `kill -9` does. */
  kill9(): Promise<void>;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

/**
 * Starts Ward in a child process from the sources (tsx), on the SQLite file `<dir>/ward.db`, listening on a free
 * port; resolves once it listens (sealed, or uninitialised on first start).
 */
export async function spawnWard(dir: string, env: Record<string, string> = {}): Promise<WardProcess> {
  const config = join(dir, 'ward.hcl');
  writeFileSync(config, `storage "sqlite" { path = "${join(dir, 'ward.db')}" }\nlistener "tcp" {\n  address = "127.0.0.1:0"\n  tls_disable = true\n}\nlog_level = "error"\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/helpers/ward-child.ts'), config], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errChunks: Buffer[] = [];
  child.stderr?.on('data', (c: Buffer) => errChunks.push(c));
  const stderr = () => Buffer.concat(errChunks).toString('utf8');
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const addr = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`ward did not start within 20 s: ${stderr()}`)), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`ward exited with ${code} before listening: ${stderr()}`));
    });
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { addr?: string };
        if (msg.addr) {
          clearTimeout(timer);
          res(msg.addr);
        }
      } catch {
        /* not ours */
      }
    });
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    addr,
    stderr,
    kill9: async () => {
      if (exited()) return;
      const done = once(child, 'exit');
      child.kill('SIGKILL');
      await done;
    },
    stop: async () => {
      if (exited()) return;
      const done = once(child, 'exit');
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(t);
    },
  };
}
