import type { CommandSpec } from './command.js';
import { makeContext } from './context.js';
import { flagsHelp, parseFlags, UsageError } from './flags.js';
import { FORMATS } from './format/output.js';
import { COMMANDS, COMMON, GROUPS } from './registry.js';
import type { Ui } from './ui.js';
import { processUi } from './ui.js';
import { wardVersion } from './version.js';

/** Exit code when no command matched (mitchellh/cli's 127). */
const EXIT_NO_COMMAND = 127;

function isPrefix(words: readonly string[]): boolean {
  return COMMANDS.some((c) => words.every((w, i) => c.path[i] === w));
}

function leaf(words: readonly string[]): CommandSpec | undefined {
  return COMMANDS.find((c) => c.path.length === words.length && c.path.every((w, i) => words[i] === w));
}

/** Direct children of a command group, with their synopsis. */
function children(words: readonly string[]): [string, string][] {
  const seen = new Map<string, string>();
  for (const c of COMMANDS) {
    if (c.path.length <= words.length || !words.every((w, i) => c.path[i] === w)) continue;
    const name = c.path[words.length] as string;
    if (seen.has(name)) continue;
    const sub = [...words, name];
    seen.set(name, c.path.length === sub.length ? c.synopsis : (GROUPS[sub.join(' ')]?.synopsis ?? ''));
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function listing(entries: readonly [string, string][]): string {
  const width = Math.max(0, ...entries.map(([n]) => n.length));
  return entries.map(([n, s]) => `    ${n.padEnd(width)}    ${s}`).join('\n');
}

/** The top-level usage (`ward` with no command). */
export function topHelp(): string {
  const all = children([]);
  const common = all.filter(([n]) => COMMON.includes(n));
  const other = all.filter(([n]) => !COMMON.includes(n));
  return `Usage: ward <command> [args]

Common commands:
${listing(common)}

Other commands:
${listing(other)}`;
}

/** The help of a command group (`ward kv`). */
function groupHelp(words: readonly string[]): string {
  const text = GROUPS[words.join(' ')]?.help ?? `Usage: ward ${words.join(' ')} <subcommand> [options] [args]`;
  return `${text}\n\nSubcommands:\n${listing(children(words))}`;
}

/** The help of a leaf command: its usage text and its flags. */
export function commandHelp(spec: CommandSpec): string {
  return spec.flags.length > 0 ? `${spec.help}\n\n${flagsHelp(spec.flags)}` : spec.help;
}

async function runLeaf(spec: CommandSpec, argv: readonly string[], ui: Ui): Promise<number> {
  let parsed;
  try {
    parsed = parseFlags(argv, spec.flags, ui.env);
  } catch (e) {
    if (e instanceof UsageError) {
      ui.err(e.message);
      return 1;
    }
    throw e;
  }
  if (parsed.help) {
    ui.err(commandHelp(spec));
    return 0;
  }
  const ctx = makeContext(ui, parsed.flags, parsed.args);
  if (spec.flags.some((f) => f.name === 'format')) {
    const format = ctx.out.format;
    if (!(FORMATS as readonly string[]).includes(format)) {
      ui.err(`Invalid output format: ${format}`);
      return 1;
    }
    if (format === 'raw' && spec.path.join(' ') !== 'read') {
      ui.err('This command does not support the -format=raw option.');
      return 1;
    }
  }
  try {
    return await spec.run(ctx);
  } catch (e) {
    ui.err(e instanceof Error ? e.message : String(e));
    return e instanceof UsageError ? 1 : 2;
  } finally {
    await ctx.closeClient();
  }
}

/**
 * Runs the `ward` CLI with the given arguments (without `node` and the script) and resolves to the exit code:
 * 0 success, 1 a local error (bad flags or arguments), 2 an error from the server or the network, 127 no command.
 */
export async function main(argv: string[], ui: Ui = processUi()): Promise<number> {
  const words: string[] = [];
  let i = 0;
  while (i < argv.length && !(argv[i] as string).startsWith('-') && !leaf(words)) {
    const next = [...words, argv[i] as string];
    if (!isPrefix(next)) break;
    words.push(argv[i] as string);
    i++;
  }
  const spec = leaf(words);
  if (spec) return runLeaf(spec, argv.slice(i), ui);
  const rest = argv.slice(i);
  if (words.length === 0) {
    const first = rest[0];
    if (first === '-v' || first === '-version' || first === '--version') {
      ui.out(`Ward v${wardVersion()}`);
      return 0;
    }
    if (first === '-h' || first === '-help' || first === '--help') {
      ui.err(topHelp());
      return 0;
    }
    ui.err(topHelp());
    return EXIT_NO_COMMAND;
  }
  const wantsHelp = rest.some((a) => a === '-h' || a === '-help' || a === '--help');
  ui.err(groupHelp(words));
  return wantsHelp ? 0 : 1;
}
