import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeIdentifier } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropRoles, su, tryLogin, uniqueName } from '../helpers/postgres.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Runs the PostgreSQL walk-through of docs/engines/database.md exactly as written (bash, `ward` in place of `vault`)
 * against a dev server and the local PostgreSQL, then checks its effects in the database. `ward` is the CLI from the
 * sources (through tsx), so the test needs no build.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function walkthrough(): string {
  const doc = readFileSync(join(ROOT, 'docs', 'engines', 'database.md'), 'utf8');
  const m = /<!-- walkthrough:postgresql -->\n```sh\n([\s\S]*?)```/.exec(doc);
  if (!m?.[1]) throw new Error('docs/engines/database.md has no walkthrough:postgresql block');
  return m[1];
}

function bash(script: string, env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('docs/engines/database.md: the PostgreSQL walk-through', () => {
  let srv: TestServer;
  let home: string;
  const admin = uniqueName('walk_admin');
  const adminPassword = 'Walkthrough-Admin-1';
  const users: string[] = [admin];

  beforeAll(async () => {
    srv = await startTestServer();
    home = mkdtempSync(join(tmpdir(), 'ward-walkthrough-'));
    // `ward` on PATH: the CLI from the sources.
    const entry = join(home, 'ward-main.mjs');
    writeFileSync(entry, `import { main } from ${JSON.stringify(join(ROOT, 'src', 'cli', 'main.ts'))};\nprocess.exitCode = await main(process.argv.slice(2));\n`);
    writeFileSync(join(home, 'ward'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(entry)} "$@"\n`);
    chmodSync(join(home, 'ward'), 0o755);
    await su(`CREATE ROLE ${escapeIdentifier(admin)} LOGIN CREATEROLE PASSWORD '${adminPassword}'; GRANT pg_signal_backend TO ${escapeIdentifier(admin)}`);
  });

  afterAll(async () => {
    await srv?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
    await dropRoles(users);
  });

  it('runs as written, and each step has its effect', async () => {
    const run = await bash(walkthrough(), {
      PATH: `${home}:${process.env.PATH ?? ''}`,
      HOME: home,
      WARD_ADDR: srv.addr,
      WARD_TOKEN: srv.rootToken,
      PG_ADMIN: admin,
      PG_ADMIN_PASSWORD: adminPassword,
      NODE_OPTIONS: '',
    });
    expect(run.code, `${run.out}\n${run.err}`).toBe(0);
    // `ward read database/creds/my-role` printed a lease and a user.
    expect(run.out).toMatch(/lease_id\s+database\/creds\/my-role\/\S+/);
    expect(run.out).toMatch(/lease_renewable\s+true/);
    const issued = [...run.out.matchAll(/^username\s+(v-root-my-role-\S+)$/gm)].map((m) => m[1] as string);
    expect(issued).toHaveLength(1);
    users.push(...issued);
    // rotate-root: the password written in the walk-through no longer works; only Ward knows the new one.
    expect((await tryLogin(admin, adminPassword)).ok).toBe(false);
    // lease revoke -prefix: every user issued under the role (two: one read, one for the renewal) is gone; the
    // revocation is asynchronous.
    const remaining = async (): Promise<string[]> =>
      (await su<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE rolname LIKE 'v-root-my-role-%'`)).map((r) => r.rolname);
    users.push(...(await remaining()));
    await waitFor('the users of my-role to be dropped', async () => (await remaining()).length === 0);
  }, 60_000);
});
