import type { CommandSpec } from '../command.js';
import { errorText } from '../command.js';
import { flagSet } from '../flagsets.js';

/** `ward token revoke [TOKEN | -accessor ACCESSOR | -self]`, with `-mode=orphan|path`. */
export const tokenRevokeCommand: CommandSpec = {
  path: ['token', 'revoke'],
  synopsis: 'Revoke a token and its children',
  help: `Usage: ward token revoke [options] [TOKEN | ACCESSOR]

  Revokes authentication tokens and their children. If a TOKEN is not provided,
  the locally authenticated token is used. The "-mode" flag can be used to
  control the behavior of the revocation. See the "-mode" flag documentation
  for more information.

  Revoke a token and all the token's children:

      $ ward token revoke 96ddf4bc-d217-f3ba-f9bd-017055595017

  Revoke a token leaving the token's children:

      $ ward token revoke -mode=orphan 96ddf4bc-d217-f3ba-f9bd-017055595017

  Revoke a token by accessor:

      $ ward token revoke -accessor 9793c9b3-e04a-46f3-e7b8-748d7da248da

  For a full list of examples, please see the documentation.`,
  flags: flagSet(
    {},
    { name: 'accessor', kind: 'bool', section: 'Command Options', usage: 'Treat the argument as an accessor instead of a token.' },
    { name: 'self', kind: 'bool', section: 'Command Options', usage: 'Perform the revocation on the currently authenticated token.' },
    {
      name: 'mode',
      kind: 'string',
      section: 'Command Options',
      usage: 'Type of revocation to perform. If unspecified, Ward will revoke the token and all of the token\'s children. If "orphan", Ward will revoke only the token, leaving the children as orphans. If "path", tokens created from the given authentication path prefix are deleted along with their children.',
    },
  ),
  async run(ctx) {
    const args = ctx.args;
    const accessor = ctx.flags.bool('accessor');
    const self = ctx.flags.bool('self');
    const mode = ctx.flags.str('mode');
    const token = args.length > 0 ? (args[0] as string).trim() : '';
    if (mode !== '' && mode !== 'orphan' && mode !== 'path') {
      ctx.ui.err(`Invalid mode: ${mode}`);
      return 1;
    }
    let problem: string | undefined;
    if (self && args.length > 0) problem = `Too many arguments with -self (expected 0, got ${args.length})`;
    else if (!self && args.length > 1) problem = `Too many arguments (expected 1 or -self, got ${args.length})`;
    else if (!self && args.length < 1) problem = `Not enough arguments (expected 1 or -self, got ${args.length})`;
    else if (self && accessor) problem = 'Cannot use -self with -accessor!';
    else if (self && mode !== '') problem = 'Cannot use -self with -mode!';
    else if (accessor && mode === 'orphan') problem = 'Cannot use -accessor with -mode=orphan!';
    else if (accessor && mode === 'path') problem = 'Cannot use -accessor with -mode=path!';
    if (problem) {
      ctx.ui.err(problem);
      return 1;
    }
    const client = ctx.client();
    try {
      if (self) await client.call('PUT', 'auth/token/revoke-self');
      else if (accessor) await client.call('POST', 'auth/token/revoke-accessor', { body: { accessor: token } });
      else if (mode === 'orphan') await client.call('PUT', 'auth/token/revoke-orphan', { body: { token } });
      else if (mode === 'path') await client.call('PUT', `sys/leases/revoke-prefix/${token}`);
      else await client.call('PUT', 'auth/token/revoke', { body: { token } });
    } catch (e) {
      ctx.ui.err(`Error revoking token: ${errorText(e)}`);
      return 2;
    }
    ctx.ui.out('Success! Revoked token (if it existed)');
    return 0;
  },
};
