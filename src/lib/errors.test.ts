import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STATUS_BY_CODE, WardError } from './errors.js';

describe('error codes', () => {
  it('docs/errors.md lists exactly the codes and statuses the code maps', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(rows)).toEqual(STATUS_BY_CODE);
  });

  it('carries its status and every message', () => {
    const err = new WardError('permission_denied', ['permission denied', 'invalid token']);
    expect(err.status).toBe(403);
    expect(err.messages).toEqual(['permission denied', 'invalid token']);
  });
});
