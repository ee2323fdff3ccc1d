import type { FlagSpec } from './flags.js';

/** Vault's default address, kept for Ward (`https://127.0.0.1:8200`). */
export const DEFAULT_ADDRESS = 'https://127.0.0.1:8200';

/** Vault's HTTP flag set, reading Ward's variables first and Vault's as a fallback. */
export const HTTP_FLAGS: readonly FlagSpec[] = [
  {
    name: 'address',
    kind: 'string',
    env: ['WARD_ADDR', 'VAULT_ADDR'],
    default: DEFAULT_ADDRESS,
    section: 'HTTP Options',
    usage: `Address of the Ward server. The default is ${DEFAULT_ADDRESS}. This can also be specified via the WARD_ADDR (or VAULT_ADDR) environment variable.`,
  },
  {
    name: 'ca-cert',
    kind: 'string',
    env: ['WARD_CACERT', 'VAULT_CACERT'],
    section: 'HTTP Options',
    usage: 'Path on the local disk to a single PEM-encoded CA certificate to verify the Ward server\'s SSL certificate. This can also be specified via the WARD_CACERT (or VAULT_CACERT) environment variable.',
  },
  {
    name: 'tls-skip-verify',
    kind: 'bool',
    env: ['WARD_SKIP_VERIFY', 'VAULT_SKIP_VERIFY'],
    section: 'HTTP Options',
    usage: 'Disable verification of TLS certificates. Using this option is highly discouraged as it decreases the security of data transmissions to and from the Ward server. This can also be specified via the WARD_SKIP_VERIFY (or VAULT_SKIP_VERIFY) environment variable.',
  },
  {
    name: 'wrap-ttl',
    kind: 'duration',
    env: ['WARD_WRAP_TTL', 'VAULT_WRAP_TTL'],
    section: 'HTTP Options',
    usage: 'Wraps the response in a cubbyhole token with the requested TTL. The response is available via the "ward unwrap" command. The TTL is specified as a numeric string with suffix like "30s" or "5m". This can also be specified via the WARD_WRAP_TTL (or VAULT_WRAP_TTL) environment variable.',
  },
];

/** `-format`. */
export const FORMAT_FLAG: FlagSpec = {
  name: 'format',
  kind: 'string',
  env: ['WARD_FORMAT', 'VAULT_FORMAT'],
  default: 'table',
  section: 'Output Options',
  usage: 'Print the output in the given format. Valid formats are "table", "json", "yaml", or "pretty". This can also be specified via the WARD_FORMAT (or VAULT_FORMAT) environment variable.',
};

/** `-field`. */
export const FIELD_FLAG: FlagSpec = {
  name: 'field',
  kind: 'string',
  section: 'Output Options',
  usage: 'Print only the field with the given name. Specifying this option will take precedence over other formatting directives. The result will not have a trailing newline making it ideal for piping to other processes.',
};

/** `-mount` of the kv commands. */
export function mountFlag(apiPrefix: string): FlagSpec {
  return {
    name: 'mount',
    kind: 'string',
    section: 'Common Options',
    usage: `Specifies the path where the KV backend is mounted. If specified, the next argument will be interpreted as the secret path. If this flag is not specified, the next argument will be interpreted as the combined mount path and secret path, with /${apiPrefix}/ automatically appended between KV v2 secrets.`,
  };
}

/** HTTP flags, plus `-format` and/or `-field` when asked for, plus the command's own. */
export function flagSet(opts: { format?: boolean; field?: boolean }, ...own: FlagSpec[]): FlagSpec[] {
  return [...HTTP_FLAGS, ...(opts.field ? [FIELD_FLAG] : []), ...(opts.format ? [FORMAT_FLAG] : []), ...own];
}
