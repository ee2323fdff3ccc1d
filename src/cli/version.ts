import { readFileSync } from 'node:fs';

/** Ward's version, from package.json (two levels above this file in both src/ and dist/). */
export function wardVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
