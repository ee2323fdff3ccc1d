import type { Client } from './client.js';
import type { FlagSpec, FlagValues } from './flags.js';
import type { OutputContext } from './format/output.js';
import type { TokenHelper } from './token-helper.js';
import type { Ui } from './ui.js';

/** What a command sees when it runs. */
export interface CommandContext {
  ui: Ui;
  flags: FlagValues;
  /** Positional arguments. */
  args: string[];
  /** `-format` (lower-cased, default `table`) and friends, ready for the output functions. */
  out: OutputContext;
  /** The API client (built on first use; token from WARD_TOKEN, VAULT_TOKEN or the token helper). */
  client(): Client;
  tokenHelper: TokenHelper;
}

/** One leaf command (`kv get`, `status`, ...). */
export interface CommandSpec {
  /** Words that select it (`['kv', 'get']`). */
  path: readonly string[];
  /** One line for the command list. */
  synopsis: string;
  /** Usage and description; the flag sections are appended. */
  help: string;
  flags: readonly FlagSpec[];
  /** Runs the command; resolves to the exit code (0 ok, 1 local/usage error, 2 API error). */
  run(ctx: CommandContext): Promise<number>;
}

/** Vault's "Not enough/Too many arguments" checks; returns an error message or undefined. */
export function checkArgs(args: readonly string[], min: number, max: number = min): string | undefined {
  const expected = min === max ? String(min) : max === Infinity ? `>${min - 1}` : `${min}-${max}`;
  if (args.length < min) return `Not enough arguments (expected ${expected}, got ${args.length})`;
  if (args.length > max) return `Too many arguments (expected ${expected}, got ${args.length})`;
  return undefined;
}

/** Vault's sanitizePath: trims spaces and leading and trailing slashes. */
export function sanitizePath(s: string): string {
  return s.trim().replace(/^\/+/, '').replace(/\/+$/, '');
}

/** Vault's ensureTrailingSlash. */
export function ensureTrailingSlash(s: string): string {
  const t = s.trim();
  if (t === '') return '';
  return t.endsWith('/') ? t : `${t}/`;
}

/** The error text of anything thrown by the client. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
