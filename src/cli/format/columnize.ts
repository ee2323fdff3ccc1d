/**
 * Column alignment exactly as Vault's CLI does it (ryanuber/columnize with Vault's `columnOutput`/`tableOutput`
 * wrappers in command/base_helpers.go): cells are split on a delimiter and trimmed, empty cells become `n/a`, every
 * column but the last is padded to its widest cell (counted in code points, as Go's `%-*s` does) and followed by a
 * four-space glue.
 */

/** The delimiter Vault uses for key/value tables, chosen because it is unlikely to appear in a secret. */
export const HOPE_DELIM = '♨';

/** Options for {@link columnOutput} and {@link tableOutput}. */
export interface ColumnConfig {
  /** Cell separator inside each input line; `|` by default. */
  delim?: string;
  /** Replacement for empty cells; `n/a` by default. */
  empty?: string;
  /** Separator between output columns; four spaces by default. */
  glue?: string;
}

function runeLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Formats lines of delimited cells into aligned columns, without a header underline. */
export function columnOutput(lines: readonly string[], config: ColumnConfig = {}): string {
  if (lines.length === 0) return '';
  const delim = config.delim ?? '|';
  const empty = config.empty ?? 'n/a';
  const glue = config.glue ?? '    ';
  const rows = lines.map((line) =>
    line.split(delim).map((cell) => {
      const trimmed = cell.trim();
      return trimmed === '' && empty !== '' ? empty : trimmed;
    }),
  );
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      const len = runeLength(cell);
      if (widths[i] === undefined || (widths[i] ?? 0) < len) widths[i] = len;
    });
  }
  const out = rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - runeLength(cell)) + glue))
      .join(''),
  );
  return out.join('\n');
}

/** Like {@link columnOutput}, but the first line is a header and gets a dashed underline. */
export function tableOutput(lines: readonly string[], config: ColumnConfig = {}): string {
  if (lines.length === 0) return '';
  const delim = config.delim ?? '|';
  const header = lines[0] ?? '';
  const underline = header
    .split(delim)
    .map((h) => '-'.repeat(Buffer.byteLength(h.trim(), 'utf8')))
    .join(delim);
  return columnOutput([header, underline, ...lines.slice(1)], config);
}
