/**
 * Paragraph wrapping as Vault's `wrapAtLength` does it: kr/text's minimal-raggedness line breaking at 78 columns
 * (not greedy filling), so multi-line messages break at the same words as the `vault` binary's.
 */

/** Vault's maximum line length for wrapped help and messages. */
export const MAX_LINE_LENGTH = 78;
const PENALTY = 100000;

function runeLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** kr/text.Wrap: joins the words of `s` into lines of at most `limit` code points with minimal raggedness. */
export function wrapText(s: string, limit: number): string {
  const words = s.trim().replace(/\n/g, ' ').split(' ');
  const n = words.length;
  const width = words.map(runeLength);
  // length(i, j): width of words i..j joined by single spaces.
  const prefix: number[] = [0];
  for (let i = 0; i < n; i++) prefix.push((prefix[i] ?? 0) + (width[i] ?? 0));
  const length = (i: number, j: number): number => (prefix[j + 1] ?? 0) - (prefix[i] ?? 0) + (j - i);
  const cost = new Array<number>(n).fill(2 ** 31 - 1);
  const breakAt = new Array<number>(n).fill(n);
  for (let i = n - 1; i >= 0; i--) {
    if (length(i, n - 1) <= limit || i === n - 1) {
      cost[i] = 0;
      breakAt[i] = n;
      continue;
    }
    for (let j = i + 1; j < n; j++) {
      const d = limit - length(i, j - 1);
      let c = d * d + (cost[j] ?? 0);
      if (length(i, j - 1) > limit) c += PENALTY;
      if (c < (cost[i] ?? 0)) {
        cost[i] = c;
        breakAt[i] = j;
      }
    }
  }
  const lines: string[] = [];
  for (let i = 0; i < n; i = breakAt[i] ?? n) lines.push(words.slice(i, breakAt[i]).join(' '));
  return lines.join('\n');
}

/** Vault's wrapAtLengthWithPadding: wraps to 78 − pad columns and indents every line by `pad` spaces. */
export function wrapAtLengthWithPadding(s: string, pad: number): string {
  return wrapText(s, MAX_LINE_LENGTH - pad)
    .split('\n')
    .map((line) => ' '.repeat(pad) + line)
    .join('\n');
}

/** Vault's wrapAtLength. */
export function wrapAtLength(s: string): string {
  return wrapAtLengthWithPadding(s, 0);
}
