import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { outputData } from '../format/output.js';
import { wrapAtLength } from '../format/wrap.js';
import { flagSet } from '../flagsets.js';
import { isRecord } from '../secret.js';

const DEFAULT_KEY_SHARES = 5;
const DEFAULT_KEY_THRESHOLD = 3;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** `ward operator init`: initialises the server and prints the unseal keys and the initial root token. */
export const operatorInitCommand: CommandSpec = {
  path: ['operator', 'init'],
  synopsis: 'Initializes a server',
  help: `Usage: ward operator init [options]

  Initializes a Ward server. Initialization is the process by which Ward's
  storage backend is prepared to receive data. During initialization, Ward
  generates an in-memory root key and applies Shamir's secret sharing
  algorithm to disassemble that root key into a configurable number of key
  shares such that a configurable subset of those key shares must come
  together to regenerate the root key. These keys are often called "unseal
  keys".

  This command cannot be run against an already-initialized Ward server.

  Start initialization with the default options:

      $ ward operator init

  Initialize with 3 key shares, 2 of which unseal:

      $ ward operator init -key-shares=3 -key-threshold=2`,
  flags: flagSet(
    { format: true },
    {
      name: 'status',
      kind: 'bool',
      section: 'Common Options',
      usage: 'Print the current initialization status. An exit code of 0 means the Ward is already initialized. An exit code of 1 means an error occurred. An exit code of 2 means the Ward is not initialized.',
    },
    { name: 'key-shares', kind: 'int', aliases: ['n'], section: 'Common Options', usage: 'Number of key shares to split the generated root key into. This is the number of "unseal keys" to generate. The default is 5.' },
    { name: 'key-threshold', kind: 'int', aliases: ['t'], section: 'Common Options', usage: 'Number of key shares required to reconstruct the root key. This must be less than or equal to -key-shares. The default is 3.' },
  ),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 0);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const shares = ctx.flags.int('key-shares') || DEFAULT_KEY_SHARES;
    const threshold = ctx.flags.int('key-threshold') || DEFAULT_KEY_THRESHOLD;
    const client = ctx.client();
    if (ctx.flags.bool('status')) {
      let initialized: boolean;
      try {
        const res = await client.call('GET', 'sys/init', { wrap: false });
        initialized = isRecord(res.json) && res.json.initialized === true;
      } catch (e) {
        ctx.ui.err(`Error checking init status: ${errorText(e)}`);
        return 1;
      }
      if (ctx.out.format === 'table') ctx.ui.out(initialized ? 'Ward is initialized' : 'Ward is not initialized');
      else outputData(ctx.out, new Map([['initialized', initialized]]));
      return initialized ? 0 : 2;
    }
    let resp: Record<string, unknown>;
    try {
      const res = await client.call('PUT', 'sys/init', { body: { secret_shares: shares, secret_threshold: threshold }, wrap: false });
      resp = isRecord(res.json) ? res.json : {};
    } catch (e) {
      ctx.ui.err(`Error initializing: ${errorText(e)}`);
      return 2;
    }
    const keys = strings(resp.keys);
    const keysB64 = strings(resp.keys_base64);
    const rootToken = typeof resp.root_token === 'string' ? resp.root_token : '';
    if (ctx.out.format !== 'table') {
      return outputData(
        ctx.out,
        new Map<string, unknown>([
          ['unseal_keys_b64', keysB64],
          ['unseal_keys_hex', keys],
          ['unseal_shares', keys.length === 0 ? 1 : shares],
          ['unseal_threshold', keys.length === 0 ? 1 : threshold],
          ['recovery_keys_b64', strings(resp.recovery_keys_base64)],
          ['recovery_keys_hex', strings(resp.recovery_keys)],
          ['recovery_keys_shares', 0],
          ['recovery_keys_threshold', 0],
          ['root_token', rootToken],
        ]),
      );
    }
    const ui = ctx.ui;
    keys.forEach((key, i) => ui.out(`Unseal Key ${i + 1}: ${keysB64.length === keys.length ? keysB64[i] : key}`));
    ui.out('');
    ui.out(`Initial Root Token: ${rootToken}`);
    if (keys.length > 0) {
      ui.out('');
      ui.out(
        wrapAtLength(
          `Ward initialized with ${shares} key shares and a key threshold of ${threshold}. Please securely distribute the key shares printed above. When the Ward is re-sealed, restarted, or stopped, you must supply at least ${threshold} of these keys to unseal it before it can start servicing requests.`,
        ),
      );
      ui.out('');
      ui.out(wrapAtLength(`Ward does not store the generated root key. Without at least ${threshold} keys to reconstruct the root key, Ward will remain permanently sealed!`));
      ui.out('');
      ui.out(wrapAtLength('It is possible to generate new unseal keys, provided you have a quorum of existing unseal keys shares. See "ward operator rekey" for more information.'));
    } else {
      ui.out('');
      ui.out('Success! Ward is initialized');
    }
    return 0;
  },
};
