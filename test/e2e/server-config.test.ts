import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = new URL('../../bin/ward.js', import.meta.url).pathname;

/** `ward server -config` refuses a bad file at start-up with a message that names the file, the key and the expectation. */
describe('ward server -config with a bad file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ward-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const start = async (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    try {
      await run(process.execPath, [bin, 'server', `-config=${file}`], { timeout: 20_000 });
      return { code: 0, err: '', file };
    } catch (e) {
      const err = e as { code?: number; stderr?: string };
      return { code: err.code ?? -1, err: err.stderr ?? '', file };
    }
  };

  it('an unknown stanza', async () => {
    const r = await start('unknown.hcl', 'storag "sqlite" {\n  path = "x.db"\n}\n');
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(r.file);
    expect(r.err).toContain('storag');
  });

  it('a bad value names the key and what was expected', async () => {
    const r = await start('badttl.hcl', `storage "sqlite" {\n  path = "${join(dir, 'w.db')}"\n}\ndefault_lease_ttl = "forever"\n`);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(r.file);
    expect(r.err).toContain('default_lease_ttl');
    expect(r.err).toMatch(/expected/);
  });

  it('an unsupported storage type lists the supported ones', async () => {
    const r = await start('consul.hcl', 'storage "consul" {\n  address = "127.0.0.1:8500"\n}\n');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/sqlite/);
    expect(r.err).toMatch(/inmem/);
  });
});
