import type { CommandSpec } from '../command.js';
import { errorText } from '../command.js';
import type { FlagSpec } from '../flags.js';
import { wardVersion } from '../version.js';

/** The part of src/server/start.ts this command uses (loaded dynamically, so other commands never load the server). */
interface StartModule {
  startServer(opts: { configPath?: string; dev?: boolean; devRootTokenId?: string; devListenAddress?: string; logLevel?: string }): Promise<{
    addresses: string[];
    rootToken?: string;
    unsealKey?: string;
    core?: { storageType?: string };
    close(): Promise<void>;
  }>;
}

async function loadServer(): Promise<StartModule> {
  const specifier = new URL('../../server/start.js', import.meta.url).href;
  const mod = (await import(specifier)) as Partial<StartModule>;
  if (typeof mod.startServer !== 'function') throw new Error('the server module does not export startServer');
  return mod as StartModule;
}

const SERVER_FLAGS: FlagSpec[] = [
  { name: 'config', kind: 'strings', section: 'Command Options', usage: 'Path to a configuration file. This configuration file should contain only config directives. This can be specified multiple times; Ward uses the first.' },
  { name: 'log-level', kind: 'string', env: ['WARD_LOG_LEVEL', 'VAULT_LOG_LEVEL'], section: 'Command Options', usage: 'Log verbosity level. Supported values (in order of detail) are "trace", "debug", "info", "warn", and "error".' },
  { name: 'dev', kind: 'bool', section: 'Dev Options', usage: 'Enable development mode. In this mode, Ward runs in-memory and starts unsealed. As the name implies, do not run "dev" mode in production.' },
  { name: 'dev-root-token-id', kind: 'string', env: ['WARD_DEV_ROOT_TOKEN_ID', 'VAULT_DEV_ROOT_TOKEN_ID'], section: 'Dev Options', usage: 'Initial root token. This only applies when running in "dev" mode.' },
  { name: 'dev-listen-address', kind: 'string', env: ['WARD_DEV_LISTEN_ADDRESS', 'VAULT_DEV_LISTEN_ADDRESS'], section: 'Dev Options', usage: 'Address to bind to in "dev" mode.' },
  { name: 'dev-no-store-token', kind: 'bool', section: 'Dev Options', usage: 'Do not persist the dev root token to the token helper (usually the local filesystem) for use in future requests.' },
];

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const handler = (sig: string): void => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      resolve(sig);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

function devBanner(addr: string, unsealKeyHex: string | undefined, rootToken: string, stored: boolean): string {
  const unsealKey = unsealKeyHex ? Buffer.from(unsealKeyHex, 'hex').toString('base64') : '';
  return [
    'WARNING! dev mode is enabled! In this mode, Ward runs entirely in-memory',
    `and starts unsealed with a single unseal key.${stored ? ' The root token is already' : ''}`,
    ...(stored ? ['authenticated to the CLI, so you can immediately begin using Ward.'] : []),
    '',
    'You may need to set the following environment variables:',
    '',
    `    $ export WARD_ADDR='${addr}'`,
    '',
    'The unseal key and root token are displayed below in case you want to',
    'seal/unseal the Ward or re-authenticate.',
    '',
    ...(unsealKey ? [`Unseal Key: ${unsealKey}`] : []),
    `Root Token: ${rootToken}`,
    '',
    'Development mode should NOT be used in production installations!',
    '',
  ].join('\n');
}

/** `ward server`: starts a server from `-config` or in `-dev` mode and runs until SIGINT or SIGTERM. */
export const serverCommand: CommandSpec = {
  path: ['server'],
  synopsis: 'Start a Ward server',
  help: `Usage: ward server [options]

  This command starts a Ward server that responds to API requests. By default,
  Ward will start in a "sealed" state. The Ward cluster must be initialized
  before use, usually by the "ward operator init" command. Each Ward server must
  also be unsealed using the "ward operator unseal" command or the API before
  the server can respond to requests.

  Start a server with a configuration file:

      $ ward server -config=/etc/ward/config.hcl

  Run in "dev" mode:

      $ ward server -dev -dev-root-token-id="root"`,
  flags: SERVER_FLAGS,
  async run(ctx) {
    const f = ctx.flags;
    if (ctx.args.length > 0) {
      ctx.ui.err(`Too many arguments (expected 0, got ${ctx.args.length})`);
      return 1;
    }
    const dev = f.bool('dev');
    const configs = f.list('config');
    if (!dev && configs.length === 0) {
      ctx.ui.err('Must specify at least one config path using -config');
      return 1;
    }
    const logLevel = f.str('log-level');
    const devRootTokenId = f.str('dev-root-token-id');
    const devListenAddress = f.str('dev-listen-address');
    let server: Awaited<ReturnType<StartModule['startServer']>>;
    try {
      const { startServer } = await loadServer();
      server = await startServer({
        ...(configs[0] !== undefined ? { configPath: configs[0] } : {}),
        dev,
        ...(devRootTokenId ? { devRootTokenId } : {}),
        ...(devListenAddress ? { devListenAddress } : {}),
        ...(logLevel ? { logLevel } : {}),
      });
    } catch (e) {
      ctx.ui.err(`Error starting the Ward server: ${errorText(e)}`);
      return 1;
    }
    const info: [string, string][] = [
      ['Api Address', server.addresses[0] ?? ''],
      ...server.addresses.map((a, i): [string, string] => [`Listener ${i + 1}`, a]),
      ['Log Level', logLevel || 'info'],
      ['Storage', server.core?.storageType ?? (dev ? 'inmem' : '')],
      ['Version', `Ward v${wardVersion()}`],
    ];
    const width = Math.max(...info.map(([k]) => k.length));
    ctx.ui.err('==> Ward server configuration:\n');
    for (const [k, v] of info) ctx.ui.err(`${' '.repeat(width - k.length + 2)}${k}: ${v}`);
    ctx.ui.err('');
    if (dev && server.rootToken) {
      let stored = false;
      if (!f.bool('dev-no-store-token')) {
        try {
          ctx.tokenHelper.store(server.rootToken);
          stored = true;
        } catch (e) {
          ctx.ui.err(`Error storing the root token in the token helper: ${errorText(e)}`);
        }
      }
      ctx.ui.err(devBanner(server.addresses[0] ?? '', server.unsealKey, server.rootToken, stored));
    }
    ctx.ui.err('==> Ward server started! Log data will stream in below:\n');
    await waitForSignal();
    ctx.ui.err('==> Ward shutdown triggered');
    try {
      await server.close();
    } catch (e) {
      ctx.ui.err(`Error shutting down: ${errorText(e)}`);
      return 1;
    }
    return 0;
  },
};
