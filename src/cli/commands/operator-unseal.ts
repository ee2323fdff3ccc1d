import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { wrapAtLength } from '../format/wrap.js';
import { flagSet } from '../flagsets.js';
import { outputSealStatus } from '../seal-status.js';
import { isRecord } from '../secret.js';

/** `ward operator unseal [KEY]`: submits one unseal key share (prompting for it, hidden, when not given). */
export const operatorUnsealCommand: CommandSpec = {
  path: ['operator', 'unseal'],
  synopsis: 'Unseals the Ward server',
  help: `Usage: ward operator unseal [options] [KEY]

  Provide a portion of the root key to unseal a Ward server. Ward starts in a
  sealed state. It cannot perform operations until it is unsealed. This
  command accepts a portion of the root key (an "unseal key").

  The unseal key can be supplied as an argument to the command, but this is
  not recommended as the unseal key will be available in your history:

      $ ward operator unseal IXyR0OJnSFobekZMMCKCoVEpT7wI6l+USMzE3IcyDyo=

  Instead, run the command with no arguments and it will prompt for the key:

      $ ward operator unseal
      Unseal Key (will be hidden): IXyR0OJnSFobekZMMCKCoVEpT7wI6l+USMzE3IcyDyo=`,
  flags: flagSet(
    { format: true },
    { name: 'reset', kind: 'bool', section: 'Command Options', usage: 'Discard any previously entered keys to the unseal process.' },
    { name: 'migrate', kind: 'bool', section: 'Command Options', usage: 'Indicate that this share is provided with the intent that it is part of a seal migration process.' },
  ),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 0, 1);
    if (bad) {
      ctx.ui.err(bad.replace('expected 0-1', 'expected 1'));
      return 1;
    }
    let key = (ctx.args[0] ?? '').trim();
    const client = ctx.client();
    if (ctx.flags.bool('reset')) {
      try {
        const res = await client.call('PUT', 'sys/unseal', { body: { reset: true }, wrap: false });
        return await outputSealStatus(ctx.out, client, isRecord(res.json) ? res.json : {});
      } catch (e) {
        ctx.ui.err(`Error resetting unseal process: ${errorText(e)}`);
        return 2;
      }
    }
    if (key === '') {
      try {
        key = (await ctx.ui.readHidden('Unseal Key (will be hidden): ')).trim();
      } catch (e) {
        ctx.ui.err(
          wrapAtLength(
            `An error occurred attempting to ask for an unseal key. The raw error message is shown below, but usually this is because you attempted to pipe a value into the unseal command or you are executing outside of a terminal (tty). You should run the unseal command from a terminal for maximum security. If this is not an option, the unseal key can be provided as the first argument to the unseal command. The raw error was:\n\n${errorText(e)}`,
          ),
        );
        return 1;
      }
    }
    let status: Record<string, unknown>;
    try {
      const res = await client.call('PUT', 'sys/unseal', { body: { key, reset: false, migrate: ctx.flags.bool('migrate') }, wrap: false });
      status = isRecord(res.json) ? res.json : {};
    } catch (e) {
      ctx.ui.err(`Error unsealing: ${errorText(e)}`);
      return 2;
    }
    return outputSealStatus(ctx.out, client, status);
  },
};
