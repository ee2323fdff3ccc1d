import type { CommandContext, CommandSpec } from '../command.js';
import { ensureTrailingSlash, errorText, sanitizePath } from '../command.js';
import { envToken } from '../context.js';
import { parseGoBool } from '../flags.js';
import { outputSecret, printRawField } from '../format/output.js';
import { wrapAtLength } from '../format/wrap.js';
import { flagSet } from '../flagsets.js';
import { KvArgError, parseArgsDataString } from '../kv-args.js';
import type { Client } from '../client.js';
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

/** Asks for a secret value on the terminal, with Vault's explanation when there is no terminal. */
async function askHidden(ctx: CommandContext, what: string, prompt: string): Promise<string> {
  try {
    return await ctx.ui.readHidden(prompt);
  } catch (e) {
    throw new Error(
      `An error occurred attempting to ask for a ${what}. The raw error message is shown below, but usually this is because you attempted to pipe a value into the command or you are executing outside of a terminal (tty). If you want to pipe the value, pass "${what}=-" to read it from stdin. The raw error was: ${errorText(e)}`,
    );
  }
}

/** The mount of a login: the `mount` pair, else `-path`, else the method's type (Vault's config["mount"]). */
function loginMount(config: Record<string, string>, fallback: string): string {
  return sanitizePath(config.mount || fallback);
}

/**
 * The userpass auth method's CLI handler (builtin/credential/userpass/cli.go): `username=` is required, the password
 * comes from `password=` or a hidden prompt; POST auth/<mount>/login/<username> without any stored token.
 */
async function userpassAuth(ctx: CommandContext, config: Record<string, string>): Promise<Secret> {
  const username = config.username ?? '';
  if (username === '') throw new Error("'username' must be specified");
  let password = config.password ?? '';
  if (password === '') password = await askHidden(ctx, 'password', 'Password (will be hidden): ');
  const options: Record<string, string> = { password };
  if (config.method) options.method = config.method;
  if (config.passcode) options.passcode = config.passcode;
  const mount = loginMount(config, 'userpass');
  const secret = await ctx.client().send('PUT', `auth/${mount}/login/${username}`, options, { token: '' });
  if (!secret) throw new Error('empty response from credential provider');
  return secret;
}

/**
 * AppRole login (a Ward addition: Vault has no CLI handler for approle and documents `vault write
 * auth/approle/login`): `role_id=` is required, `secret_id=` is sent when given; POST auth/<mount>/login.
 */
async function approleAuth(ctx: CommandContext, config: Record<string, string>): Promise<Secret> {
  const roleId = config.role_id ?? '';
  if (roleId === '') throw new Error("'role_id' must be specified");
  const body: Record<string, string> = { role_id: roleId };
  if (config.secret_id) body.secret_id = config.secret_id;
  const mount = loginMount(config, 'approle');
  const secret = await ctx.client().send('PUT', `auth/${mount}/login`, body, { token: '' });
  if (!secret) throw new Error('empty response from credential provider');
  return secret;
}

type LoginHandler = (ctx: CommandContext, config: Record<string, string>) => Promise<Secret>;

/** The auth method types `-method` accepts. */
export const LOGIN_HANDLERS: Readonly<Record<string, LoginHandler>> = {
  approle: approleAuth,
  token: tokenAuth,
  userpass: userpassAuth,
};

/**
 * Vault's extractToken: a secret with an auth block is the answer; a wrapped login response is unwrapped (when
 * `unwrap`) with the wrapping token itself, else returned as is with `wrapped` set.
 */
async function extractToken(client: Client, secret: Secret | null, unwrap: boolean): Promise<{ secret: Secret; wrapped: boolean }> {
  if (!secret) throw new Error('empty response from auth helper');
  if (secret.auth) return { secret, wrapped: false };
  if (secret.wrap_info) {
    if (secret.wrap_info.wrapped_accessor === '') throw new Error('wrapped response does not contain a token');
    if (!unwrap) return { secret, wrapped: true };
    const unwrapped = await client.send('PUT', 'sys/wrapping/unwrap', undefined, { token: secret.wrap_info.token, wrap: false });
    return extractToken(client, unwrapped, unwrap);
  }
  throw new Error('no auth or wrapping info in response');
}

/** `ward login [TOKEN] [K=V...]`: authenticates with a token, userpass or approle and stores the token in `~/.ward-token`. */
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

  The -method flag allows using other auth methods: "userpass" and "approle".
  For these, additional "K=V" pairs are required. For example, to authenticate
  to the userpass auth method:

      $ ward login -method=userpass username=my-username

  Authenticate with an AppRole role ID and secret ID:

      $ ward login -method=approle role_id=... secret_id=...

  If an auth method is enabled at a non-standard path, the -method flag still
  refers to the canonical type, but the -path flag refers to the enabled path.
  If a userpass auth method was enabled at "userpass-prod", authenticate like
  this:

      $ ward login -method=userpass -path=userpass-prod username=my-username

  If the authentication is requested with response wrapping (via -wrap-ttl),
  the returned token is automatically unwrapped unless:

    - The -token-only flag is used, in which case this command will output
      the wrapping token.

    - The -no-store flag is used, in which case this command will output the
      details of the wrapping token.`,
  flags: flagSet(
    { format: true, field: true },
    {
      name: 'method',
      kind: 'string',
      default: 'token',
      section: 'Command Options',
      usage: 'Type of authentication to use such as "userpass" or "approle". Note this corresponds to the TYPE, not the enabled path. Use -path to specify the path where the authentication is enabled.',
    },
    { name: 'path', kind: 'string', section: 'Command Options', usage: 'Remote path in Ward where the auth method is enabled. This defaults to the TYPE of method (e.g. userpass -> userpass/).' },
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
    const authPath = ctx.flags.str('path') || ensureTrailingSlash(method);
    const handler = LOGIN_HANDLERS[method];
    if (!handler) {
      ctx.ui.err(
        wrapAtLength(
          `Unknown auth method: ${method}. Use "ward auth list" to see the complete list of auth methods. Additionally, some auth methods are only available via the HTTP API.`,
        ),
      );
      return 1;
    }
    let args = ctx.args;
    if (method === 'token' && args.length > 0 && !(args[0] as string).includes('=')) args = [`token=${args[0] as string}`, ...args.slice(1)];
    let config: Record<string, string>;
    try {
      config = await parseArgsDataString(args, ctx.ui);
    } catch (e) {
      if (!(e instanceof KvArgError)) throw e;
      ctx.ui.err(`Error parsing configuration: ${e.message}`);
      return 1;
    }
    if (!config.mount && authPath !== '') config.mount = authPath;
    let answer: Secret;
    try {
      answer = await handler(ctx, config);
    } catch (e) {
      ctx.ui.err(`Error authenticating: ${errorText(e)}`);
      return 2;
    }
    let secret: Secret;
    let wrapped: boolean;
    try {
      ({ secret, wrapped } = await extractToken(ctx.client(), answer, !tokenOnly && !noStore));
    } catch (e) {
      ctx.ui.err(`Error extracting token: ${errorText(e)}`);
      return 2;
    }
    if (wrapped) {
      if (tokenOnly) return printRawField(ctx.out, { secret }, 'wrapping_token');
      return outputSecret(ctx.out, secret);
    }
    const auth = secret.auth;
    if (!auth) {
      ctx.ui.err(wrapAtLength('Ward returned a secret, but the secret has no authentication information attached. This should never happen and is likely a bug.'));
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
