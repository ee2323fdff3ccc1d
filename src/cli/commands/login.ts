import type { CommandContext, CommandSpec } from '../command.js';
import { errorText, sanitizePath } from '../command.js';
import { envToken } from '../context.js';
import { parseGoBool } from '../flags.js';
import { outputSecret, printRawField } from '../format/output.js';
import { wrapAtLength } from '../format/wrap.js';
import { flagSet } from '../flagsets.js';
import { KvArgError, parseArgsDataString } from '../kv-args.js';
import type { Secret } from '../secret.js';
import { emptySecret, isRecord, makeAuth } from '../secret.js';

const strList = (v: unknown): string[] | null => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null);

/**
 * The token auth method's CLI handler (builtin/credential/token/cli.go): looks the token up with lookup-self and
 * returns an auth block built from the lookup data. Errors name the URL, never the token.
 */
async function tokenAuth(ctx: CommandContext, config: Record<string, string>): Promise<Secret> {
  let lookup = true;
  if (config.lookup !== undefined) {
    const parsed = parseGoBool(config.lookup);
    if (parsed === undefined) throw new Error(`Failed to parse "lookup" as boolean: strconv.ParseBool: parsing ${JSON.stringify(config.lookup)}: invalid syntax`);
    lookup = parsed;
  }
  let token = config.token;
  if (token === undefined) {
    try {
      token = await ctx.ui.readHidden('Token (will be hidden): ');
    } catch (e) {
      throw new Error(
        `An error occurred attempting to ask for a token. The raw error message is shown below, but usually this is because you attempted to pipe a value into the command or you are executing outside of a terminal (tty). If you want to pipe the value, pass "-" as the argument to read from stdin. The raw error was: ${errorText(e)}`,
      );
    }
  }
  token = token.trim();
  if (token === '') throw new Error('a token must be passed to auth, please view the help for more information');
  const secret = emptySecret();
  if (!lookup) {
    secret.auth = makeAuth({ client_token: token });
    return secret;
  }
  let lookupSelf: Secret | null;
  try {
    lookupSelf = await ctx.client().read('auth/token/lookup-self', undefined, { token, wrap: false });
  } catch (e) {
    throw new Error(`error looking up token: ${errorText(e)}`);
  }
  if (!lookupSelf) throw new Error('empty response from lookup-self');
  const d = lookupSelf.data ?? {};
  const tokenPolicies = strList(d.policies);
  const identityPolicies = strList(d.identity_policies);
  const meta = isRecord(d.meta) ? Object.fromEntries(Object.entries(d.meta).map(([k, v]) => [k, String(v)])) : null;
  secret.auth = makeAuth({
    client_token: typeof d.id === 'string' ? d.id : '',
    accessor: typeof d.accessor === 'string' ? d.accessor : '',
    policies: tokenPolicies === null && identityPolicies === null ? null : [...(tokenPolicies ?? []), ...(identityPolicies ?? [])],
    token_policies: tokenPolicies,
    identity_policies: identityPolicies,
    metadata: meta,
    lease_duration: typeof d.ttl === 'number' ? d.ttl : 0,
    renewable: d.renewable === true,
  });
  return secret;
}

/** `ward login [TOKEN]`: authenticates with a token and stores it in `~/.ward-token`. */
export const loginCommand: CommandSpec = {
  path: ['login'],
  synopsis: 'Authenticate locally',
  help: `Usage: ward login [options] [AUTH K=V...]

  Authenticates users or machines to Ward using the provided arguments. A
  successful authentication results in a Ward token - conceptually similar to
  a session token on a website. By default, this token is cached on the local
  machine (in ~/.ward-token) for future requests.

  The default auth method is "token". If not supplied via the CLI, Ward will
  prompt for input. If the argument is "-", the values are read from stdin.

      $ ward login hvs.CAES...

  Authenticate but do not look the token up:

      $ ward login token=hvs.CAES... lookup=false`,
  flags: flagSet(
    { format: true, field: true },
    { name: 'method', kind: 'string', default: 'token', section: 'Command Options', usage: 'Type of authentication to use. Only "token" is supported by this version of Ward\'s CLI.' },
    { name: 'path', kind: 'string', section: 'Command Options', usage: 'Remote path in Ward where the auth method is enabled. This defaults to the TYPE of method (e.g. token -> token/).' },
    {
      name: 'no-store',
      kind: 'bool',
      section: 'Command Options',
      usage: 'Do not persist the token to the token helper (usually the local filesystem) after authentication for use in future requests. The token will only be displayed in the command output.',
    },
    { name: 'no-print', kind: 'bool', section: 'Command Options', usage: 'Do not display the token. The token will be still be stored to the configured token helper.' },
    {
      name: 'token-only',
      kind: 'bool',
      section: 'Command Options',
      usage: 'Output only the token with no verification. This flag is a shortcut for "-field=token -no-store". Setting those flags to other values will have no affect.',
    },
  ),
  async run(ctx) {
    let noStore = ctx.flags.bool('no-store');
    let field = ctx.flags.str('field');
    const tokenOnly = ctx.flags.bool('token-only');
    if (tokenOnly) {
      noStore = true;
      field = 'token';
    }
    const noPrint = ctx.flags.bool('no-print');
    if (noStore && noPrint) {
      ctx.ui.err(wrapAtLength('-no-store and -no-print cannot be used together'));
      return 1;
    }
    const method = sanitizePath(ctx.flags.str('method')) || 'token';
    if (method !== 'token') {
      ctx.ui.err(
        wrapAtLength(
          `Unknown auth method: ${method}. Use "ward auth list" to see the complete list of auth methods. Additionally, some auth methods are only available via the HTTP API.`,
        ),
      );
      return 1;
    }
    let args = ctx.args;
    if (args.length > 0 && !(args[0] as string).includes('=')) args = [`token=${args[0] as string}`, ...args.slice(1)];
    let config: Record<string, string>;
    try {
      config = await parseArgsDataString(args, ctx.ui);
    } catch (e) {
      if (!(e instanceof KvArgError)) throw e;
      ctx.ui.err(`Error parsing configuration: ${e.message}`);
      return 1;
    }
    let secret: Secret;
    try {
      secret = await tokenAuth(ctx, config);
    } catch (e) {
      ctx.ui.err(`Error authenticating: ${errorText(e)}`);
      return 2;
    }
    const auth = secret.auth;
    if (!auth) {
      ctx.ui.err('Ward returned an empty secret');
      return 2;
    }
    if (!noStore) {
      try {
        ctx.tokenHelper.store(auth.client_token);
      } catch (e) {
        ctx.ui.err(`Error storing token: ${errorText(e)}`);
        ctx.ui.err(`${wrapAtLength('Authentication was successful, but the token was not persisted. The resulting token is shown below for your records.')}\n`);
        outputSecret(ctx.out, secret);
        return 2;
      }
      const fromEnv = envToken(ctx.ui.env);
      if (fromEnv) {
        ctx.ui.err(
          `${wrapAtLength(`WARNING! The ${fromEnv.name} environment variable is set! The value of this variable will take precedence; if this is unwanted please unset ${fromEnv.name} or update its value accordingly.`)}\n`,
        );
      }
    } else if (!tokenOnly) {
      ctx.ui.err(`${wrapAtLength('The token was not stored in token helper. Set the WARD_TOKEN environment variable or pass the token below with each request to Ward.')}\n`);
    }
    if (noPrint) return 0;
    if (field !== '') return printRawField(ctx.out, { secret }, field);
    if (ctx.out.format === 'table') {
      ctx.ui.out(
        `${wrapAtLength('Success! You are now authenticated. The token information displayed below is already stored in the token helper. You do NOT need to run "ward login" again. Future Ward requests will automatically use this token.')}\n`,
      );
    }
    return outputSecret(ctx.out, secret);
  },
};
