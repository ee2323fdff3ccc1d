import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * `ward audit enable|list|disable` of the real `ward` binary (bin/ward.js over dist/, so `npm run build` first)
 * against a real dev server: a file device in a temp dir records the CLI's own kv requests, HMAC'd, and stops
 * recording once disabled.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'ward.js');

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function ward(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end('');
  });
}

interface AuditEntry {
  type: string;
  auth?: { client_token?: string; policies?: string[] };
  request?: { id?: string; operation?: string; path?: string; mount_type?: string; data?: Record<string, unknown> };
  response?: { data?: { data?: Record<string, unknown> } };
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/cli/main.js is missing: run `npm run build` before the CLI e2e tests');
});

describe('ward audit enable / list / disable against a dev server', () => {
  let srv: TestServer;
  let dir: string;
  let env: Record<string, string>;
  let file: string;
  let second: string;
  const run = (...args: string[]) => ward(args, env);
  const entries = (): AuditEntry[] =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditEntry);

  beforeAll(async () => {
    srv = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'ward-cli-audit-'));
    file = join(dir, 'audit.log');
    second = join(dir, 'second.log');
    env = { WARD_ADDR: srv.addr, WARD_TOKEN: srv.rootToken, HOME: dir };
  });
  afterAll(async () => {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists no devices before any is enabled (table and JSON)', async () => {
    expect(await run('audit', 'list')).toEqual({ code: 0, out: 'No audit devices are enabled.\n', err: '' });
    expect(await run('audit', 'list', '-format=json')).toEqual({ code: 0, out: '{}\n', err: '' });
  });

  it('refuses bad input the way Vault does', async () => {
    expect(await run('audit', 'enable')).toEqual({
      code: 1,
      out: '',
      err: "Error enabling audit device: audit type missing. Valid types include 'file', 'socket' and 'syslog'.\n",
    });
    const kv = await run('audit', 'enable', 'file', 'file_path');
    expect(kv.code).toBe(1);
    expect(kv.err).toBe('Failed to parse K=V data: invalid key/value pair "file_path": format must be key=value\n');
    // Missing directories are created (as Vault's file device does); a regular file in the way cannot be.
    writeFileSync(join(dir, 'not-a-dir'), '');
    const unwritable = join(dir, 'not-a-dir', 'audit.log');
    const bad = await run('audit', 'enable', '-path=bad', 'file', `file_path=${unwritable}`);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(new RegExp(`^Error enabling audit device: Error making API request\\.\\n\\nURL: PUT ${srv.addr}/v1/sys/audit/bad\\nCode: 400\\. Errors:\\n\\n\\* `));
    expect(bad.err).toContain(unwritable);
    expect(await run('audit', 'disable')).toEqual({ code: 1, out: '', err: 'Not enough arguments (expected 1, got 0)\n' });
    expect(await run('audit', 'list', 'extra')).toEqual({ code: 1, out: '', err: 'Too many arguments (expected 0, got 1)\n' });
  });

  it('enables file devices at the type\'s path and at -path, with options from K=V arguments', async () => {
    expect(await run('audit', 'enable', 'file', `file_path=${file}`)).toEqual({ code: 0, out: 'Success! Enabled the file audit device at: file/\n', err: '' });
    const custom = await run('audit', 'enable', '-path=backup', '-description=second copy', '-local', 'file', `file_path=${second}`, 'mode=0640', 'hmac_accessor=false');
    expect(custom).toEqual({ code: 0, out: 'Success! Enabled the file audit device at: backup/\n', err: '' });
    expect(statSync(second).mode & 0o777).toBe(0o640);
    const again = await run('audit', 'enable', 'file', `file_path=${file}`);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/^Error enabling audit device: Error making API request\.\n\nURL: PUT .*\/v1\/sys\/audit\/file\nCode: 400\. Errors:\n\n\* path already in use/);
  });

  it('lists the devices: Path/Type/Description, -detailed adds Replication and Options, -format=json the map', async () => {
    const list = await run('audit', 'list');
    expect(list).toEqual({
      code: 0,
      out: ['Path       Type    Description', '----       ----    -----------', 'backup/    file    second copy', 'file/      file    n/a', ''].join('\n'),
      err: '',
    });

    const detailed = await run('audit', 'list', '-detailed');
    expect(detailed.code).toBe(0);
    const lines = detailed.out.split('\n');
    expect(lines[0]).toMatch(/^Path +Type +Description +Replication +Options$/);
    expect(lines[1]).toMatch(/^-{4} +-{4} +-{11} +-{11} +-{7}$/);
    expect(lines[2]).toMatch(new RegExp(`^backup/ +file +second copy +local +file_path=${second.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} hmac_accessor=false mode=0640$`));
    expect(lines[3]).toMatch(new RegExp(`^file/ +file +n/a +replicated +file_path=${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));

    const jsonRun = await run('audit', 'list', '-format=json');
    expect(jsonRun.code).toBe(0);
    const json = JSON.parse(jsonRun.out) as Record<string, Record<string, unknown>>;
    expect(Object.keys(json)).toEqual(['backup/', 'file/']);
    expect(Object.keys(json['file/'] ?? {})).toEqual(['type', 'description', 'options', 'local', 'path']);
    expect(json['file/']).toEqual({ type: 'file', description: '', options: { file_path: file }, local: false, path: 'file/' });
    expect(json['backup/']).toMatchObject({ type: 'file', description: 'second copy', local: true, path: 'backup/' });
    const yaml = await run('audit', 'list', '-format=yaml');
    expect(yaml.code).toBe(0);
    expect(yaml.out).toMatch(/^file\/:\n {2}description: ""\n {2}local: false\n {2}options:\n {4}file_path: /m);
  });

  it('records the CLI\'s kv requests in the file, secrets HMAC\'d and findable with sys/audit-hash', async () => {
    const secret = 'cli-audit-canary-5772';
    expect((await run('kv', 'put', 'secret/audited', `password=${secret}`)).code).toBe(0);
    const get = await run('kv', 'get', '-field=password', 'secret/audited');
    expect(get).toMatchObject({ code: 0, out: secret });

    const log = readFileSync(file, 'utf8');
    expect(log).not.toContain(secret);
    expect(log).not.toContain(srv.rootToken);
    const all = entries();
    const write = all.find((e) => e.type === 'request' && e.request?.path === 'secret/data/audited' && ['create', 'update'].includes(e.request.operation ?? ''));
    expect(write?.request?.mount_type).toBe('kv');
    expect(write?.auth?.client_token).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(write?.auth?.policies).toEqual(['root']);
    const read = all.filter((e) => e.request?.operation === 'read' && e.request.path === 'secret/data/audited');
    expect(read.map((e) => e.type)).toEqual(['request', 'response']);
    const hashed = read[1]?.response?.data?.data?.password;
    expect(hashed).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);

    const hash = await run('write', '-field=hash', 'sys/audit-hash/file', `input=${secret}`);
    expect(hash).toMatchObject({ code: 0, out: hashed });
    // The second device has its own salt, so the same value hashes differently there.
    const other = readFileSync(second, 'utf8');
    expect(other).not.toContain(secret);
    expect(other).not.toContain(hashed as string);
    expect(other).toContain('"path":"secret/data/audited"');
  });

  it('disables devices (also one that is not there, as Vault) and stops writing to them', async () => {
    expect(await run('audit', 'disable', 'file')).toEqual({ code: 0, out: 'Success! Disabled audit device (if it was enabled) at: file/\n', err: '' });
    expect(await run('audit', 'disable', '/backup/')).toEqual({ code: 0, out: 'Success! Disabled audit device (if it was enabled) at: backup/\n', err: '' });
    expect(await run('audit', 'disable', 'nothing-here')).toEqual({ code: 0, out: 'Success! Disabled audit device (if it was enabled) at: nothing-here/\n', err: '' });
    expect(await run('audit', 'list')).toEqual({ code: 0, out: 'No audit devices are enabled.\n', err: '' });

    const size = statSync(file).size;
    expect((await run('kv', 'get', 'secret/audited')).code).toBe(0);
    expect(statSync(file).size).toBe(size);
  });

  it('`ward audit` prints the group help', async () => {
    const r = await run('audit');
    expect(r.code).toBe(1);
    expect(r.out + r.err).toContain('Usage: ward audit <subcommand> [options] [args]');
    expect(r.out + r.err).toMatch(/^ {4}disable +Disables an audit device$/m);
  });
});
