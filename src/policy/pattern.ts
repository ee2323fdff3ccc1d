/**
 * Path patterns and their precedence. A pattern is one of:
 * - exact: `secret/foo` matches only `secret/foo`;
 * - prefix: `secret/foo*` matches every path starting with `secret/foo`;
 * - segment: has at least one whole `+` segment (`secret/+/teamb`), which matches exactly one segment; it may also
 *   end in `*`, the last segment then being a prefix (`secret/+/team*` matches `secret/x/teamb/y`).
 * A `+` inside a segment (`a+b`) is an ordinary character, as in Vault.
 */

export type PatternKind = 'exact' | 'prefix' | 'segment';

/** Classifies a (resolved) pattern; `key` is what it is stored under (a prefix pattern without its `*`). */
export function classifyPattern(path: string): { kind: PatternKind; key: string } {
  const isPrefix = path.endsWith('*');
  const body = isPrefix ? path.slice(0, -1) : path;
  if (body.split('/').includes('+')) return { kind: 'segment', key: path };
  return isPrefix ? { kind: 'prefix', key: body } : { kind: 'exact', key: path };
}

/**
 * What precedence looks at, as Vault's `CheckAllowedFromNonExactPaths` describes a wildcard pattern: where its first
 * wildcard (`+`) or glob (`*`) is, whether it ends in `*`, how many `+` segments it has, and the pattern without `*`.
 */
export interface Precedence {
  firstWildcard: number;
  isPrefix: boolean;
  wildcards: number;
  wcPath: string;
}

export function prefixPrecedence(prefix: string): Precedence {
  return { firstWildcard: prefix.length, isPrefix: true, wildcards: 0, wcPath: prefix };
}

/** A compiled segment pattern: its precedence and the segments to compare. */
export interface SegmentPattern extends Precedence {
  parts: string[];
}

export function compileSegmentPattern(path: string): SegmentPattern {
  const isPrefix = path.endsWith('*');
  const wcPath = isPrefix ? path.slice(0, -1) : path;
  const parts = wcPath.split('/');
  return { firstWildcard: path.indexOf('+'), isPrefix, wildcards: parts.filter((p) => p === '+').length, wcPath, parts };
}

/**
 * Whether the segment pattern matches `path`: same number of segments (at least as many for a prefix pattern),
 * `+` matching any one segment, and for a prefix pattern the last pattern segment a prefix of the path's segment
 * there, anything after it matching too.
 */
export function segmentMatches(pattern: SegmentPattern, pathParts: readonly string[]): boolean {
  const { parts, isPrefix } = pattern;
  if (pathParts.length < parts.length) return false;
  if (!isPrefix && pathParts.length !== parts.length) return false;
  const last = parts.length - 1;
  for (let i = 0; i < parts.length; i++) {
    const want = parts[i] as string;
    const got = pathParts[i] as string;
    if (want === '+' || want === got) continue;
    if (isPrefix && i === last && got.startsWith(want)) continue;
    return false;
  }
  return true;
}

/**
 * Vault's priority order between two different matching wildcard patterns; negative when `a` has the lower
 * priority. In order: (1) the first wildcard or glob earlier loses; (2) ending in `*` loses against not;
 * (3) more `+` segments lose; (4) shorter loses; (5) lexicographically smaller loses.
 */
export function comparePrecedence(a: Precedence, b: Precedence): number {
  if (a.firstWildcard !== b.firstWildcard) return a.firstWildcard - b.firstWildcard;
  if (a.isPrefix !== b.isPrefix) return a.isPrefix ? -1 : 1;
  if (a.wildcards !== b.wildcards) return b.wildcards - a.wildcards;
  if (a.wcPath.length !== b.wcPath.length) return a.wcPath.length - b.wcPath.length;
  return a.wcPath < b.wcPath ? -1 : a.wcPath > b.wcPath ? 1 : 0;
}
