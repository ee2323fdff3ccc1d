import { describe, expect, it } from 'vitest';
import { scrubSecrets } from './core.js';

describe('scrubSecrets', () => {
  it('removes credentials from URLs, password literals and tokens, keeping the rest readable', () => {
    expect(scrubSecrets('connect postgresql://admin:s3cr3t@db:5432/app failed')).toBe('connect postgresql://admin:***@db:5432/app failed');
    expect(scrubSecrets(`ALTER ROLE x PASSWORD 'hunter2'`)).toBe('ALTER ROLE x PASSWORD ***');
    expect(scrubSecrets('password=abc123 host=db')).toBe('password=*** host=db');
    expect(scrubSecrets('token hvs.ABCDEFGHIJKLMNOPQRSTUVWX expired')).toBe('token *** expired');
    expect(scrubSecrets('connection refused: 127.0.0.1:5432')).toBe('connection refused: 127.0.0.1:5432');
  });
});
