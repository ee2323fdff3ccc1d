import { Client } from './client.js';
import type { CommandContext } from './command.js';
import type { FlagValues } from './flags.js';
import { DEFAULT_ADDRESS } from './flagsets.js';
import { TokenHelper } from './token-helper.js';
import type { Ui } from './ui.js';

/** The environment variables that can carry a token, in precedence order. */
export const TOKEN_ENV = ['WARD_TOKEN', 'VAULT_TOKEN'] as const;

/** The token in the environment (first non-empty of WARD_TOKEN, VAULT_TOKEN) and which variable held it. */
export function envToken(env: Readonly<Record<string, string | undefined>>): { name: string; value: string } | undefined {
  for (const name of TOKEN_ENV) {
    const value = env[name];
    if (value !== undefined && value !== '') return { name, value };
  }
  return undefined;
}

/** Builds the context a command runs with; the client is created lazily and closed by {@link closeContext}. */
export function makeContext(ui: Ui, flags: FlagValues, args: string[], tokenHelper = new TokenHelper(ui.env.HOME || undefined)): CommandContext & { closeClient(): Promise<void> } {
  let client: Client | undefined;
  const format = (flags.str('format') || 'table').toLowerCase();
  return {
    ui,
    flags,
    args,
    tokenHelper,
    out: { ui, format, detailed: flags.bool('detailed') },
    client(): Client {
      if (client) return client;
      const token = envToken(ui.env)?.value ?? tokenHelper.get();
      const caCert = flags.str('ca-cert');
      client = new Client({
        address: flags.str('address') || DEFAULT_ADDRESS,
        token,
        ...(caCert ? { caCert } : {}),
        tlsSkipVerify: flags.bool('tls-skip-verify'),
        wrapTTL: flags.duration('wrap-ttl'),
      });
      return client;
    },
    async closeClient(): Promise<void> {
      if (client) await client.close();
    },
  };
}
