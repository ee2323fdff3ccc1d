import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parsePolicy } from '../../policy/parse.js';
import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { formatHcl, HclFormatError } from '../format/hclfmt.js';
import { goFsError } from '../kv-args.js';

/** go-homedir's Expand: a leading `~` (alone or before a slash) is the home directory. */
export function expandHome(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}

/**
 * `ward policy fmt PATH`: validates the policy with the server's parser, then rewrites the file with normalised
 * layout ({@link formatHcl}). JSON policies are refused, as Vault's HCL printer refuses them.
 */
export const policyFmtCommand: CommandSpec = {
  path: ['policy', 'fmt'],
  synopsis: 'Formats a policy on disk',
  help: `Usage: ward policy fmt [options] PATH

  Formats a local policy file to the policy specification. This command will
  overwrite the file at the given PATH with the properly-formatted policy
  file contents.

  Ward re-lays out the file (indentation, spacing, alignment of "=", blank
  lines) and keeps comments and the order of blocks; it does not rewrite
  expressions the way HCL's printer can.

  Format the local file "my-policy.hcl" as a policy file:

      $ ward policy fmt my-policy.hcl`,
  flags: [],
  async run(ctx) {
    const bad = checkArgs(ctx.args, 1);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const path = expandHome((ctx.args[0] as string).trim(), ctx.ui.env.HOME || homedir());
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      ctx.ui.err(`Error reading source file: ${goFsError(e, path)}`);
      return 1;
    }
    try {
      await parsePolicy('fmt', text);
    } catch (e) {
      ctx.ui.err(errorText(e));
      return 1;
    }
    if (/^\s*[{[]/.test(text)) {
      ctx.ui.err('Error printing result: only HCL policies can be formatted; this file is JSON');
      return 1;
    }
    let result: string;
    try {
      result = formatHcl(text);
    } catch (e) {
      if (!(e instanceof HclFormatError)) throw e;
      ctx.ui.err(`Error printing result: ${e.message}`);
      return 1;
    }
    try {
      writeFileSync(path, result, { mode: 0o644 });
    } catch (e) {
      ctx.ui.err(`Error writing result: ${goFsError(e, path)}`);
      return 1;
    }
    ctx.ui.out(`Success! Formatted policy: ${path}`);
    return 0;
  },
};
