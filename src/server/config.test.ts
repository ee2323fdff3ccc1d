import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadServerConfig, parseListenAddress, parseServerConfig } from './config.js';
import type { ServerConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'ward-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Only the PEM header is checked at load; the listener parses the real thing.
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIBfake\n-----END PRIVATE KEY-----\n';
const certFile = join(dir, 'tls.crt');
const keyFile = join(dir, 'tls.key');
writeFileSync(certFile, CERT);
writeFileSync(keyFile, KEY);

let counter = 0;
/** Writes `text` to a fresh file in the temp dir and returns its path. */
function write(text: string, ext = 'hcl'): string {
  counter += 1;
  const file = join(dir, `ward-${counter}.${ext}`);
  writeFileSync(file, text);
  return file;
}

async function load(text: string, ext = 'hcl'): Promise<ServerConfig> {
  return loadServerConfig(write(text, ext));
}

/** Loads `text` from a real file, expecting a ConfigError; returns its problems and the file's path. */
async function loadError(text: string, ext = 'hcl'): Promise<{ problems: readonly string[]; message: string; file: string }> {
  const file = write(text, ext);
  let caught: unknown;
  try {
    await loadServerConfig(file);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  const err = caught as ConfigError;
  expect(err.message).toBe(err.problems.join('\n'));
  return { problems: err.problems, message: err.message, file };
}

const DEFAULTS = {
  storage: { type: 'sqlite', path: './ward-data/ward.db' },
  listeners: [{ type: 'tcp', address: '127.0.0.1:8200', tlsDisable: true }],
  ui: false,
  defaultLeaseTtl: 2_764_800,
  maxLeaseTtl: 2_764_800,
  logLevel: 'info',
  disableMlock: false,
} as const;

describe('valid configurations', () => {
  it('loads a full HCL configuration', async () => {
    const file = write(`
# A production-style configuration, as Vault writes it.
storage "sqlite" {
  path = "/var/lib/ward/ward.db"
}

listener "tcp" {
  address       = "0.0.0.0:8200"
  tls_cert_file = "${certFile}"
  tls_key_file  = "${keyFile}"
}

listener "tcp" {
  address     = "127.0.0.1:8300"
  tls_disable = true
}

api_addr          = "https://ward.example.com:8200"
ui                = true
default_lease_ttl = "1h30m"
max_lease_ttl     = "768h"
log_level         = "Warning"
disable_mlock     = true
cluster_name      = "ward-1"

telemetry {
  prometheus_retention_time      = "24h"
  disable_hostname               = true
  unauthenticated_metrics_access = false
}
`);
    const config = await loadServerConfig(file);
    expect(config).toEqual({
      sourceFile: file,
      storage: { type: 'sqlite', path: '/var/lib/ward/ward.db' },
      listeners: [
        { type: 'tcp', address: '0.0.0.0:8200', tlsDisable: false, tlsCertFile: certFile, tlsKeyFile: keyFile },
        { type: 'tcp', address: '127.0.0.1:8300', tlsDisable: true },
      ],
      apiAddr: 'https://ward.example.com:8200',
      ui: true,
      defaultLeaseTtl: 5400,
      maxLeaseTtl: 2_764_800,
      logLevel: 'warn',
      disableMlock: true,
      clusterName: 'ward-1',
      telemetry: { prometheusRetentionTime: 86_400, disableHostname: true, unauthenticatedMetricsAccess: false },
    } satisfies ServerConfig);
  });

  it('loads the JSON form of a Vault configuration to the same result as the HCL form', async () => {
    const json = {
      storage: { sqlite: { path: '/var/lib/ward/ward.db' } },
      listener: [{ tcp: { address: '0.0.0.0:8200', tls_disable: 1 } }],
      api_addr: 'http://ward.example.com:8200',
      ui: 'true',
      default_lease_ttl: 3600,
      max_lease_ttl: '24h',
      log_level: 'DEBUG',
      telemetry: { disable_hostname: 'true' },
    };
    const fromJson = await load(JSON.stringify(json, null, 2), 'json');
    const fromHcl = await load(`
storage "sqlite" {
  path = "/var/lib/ward/ward.db"
}
listener "tcp" {
  address     = "0.0.0.0:8200"
  tls_disable = 1
}
api_addr          = "http://ward.example.com:8200"
ui                = "true"
default_lease_ttl = 3600
max_lease_ttl     = "24h"
log_level         = "DEBUG"
telemetry {
  disable_hostname = "true"
}
`);
    const expected = {
      storage: { type: 'sqlite', path: '/var/lib/ward/ward.db' },
      listeners: [{ type: 'tcp', address: '0.0.0.0:8200', tlsDisable: true }],
      apiAddr: 'http://ward.example.com:8200',
      ui: true,
      defaultLeaseTtl: 3600,
      maxLeaseTtl: 86_400,
      logLevel: 'debug',
      disableMlock: false,
      telemetry: { prometheusRetentionTime: 86_400, disableHostname: true, unauthenticatedMetricsAccess: false },
    };
    expect({ ...fromJson, sourceFile: undefined }).toEqual({ ...expected, sourceFile: undefined });
    expect({ ...fromHcl, sourceFile: undefined }).toEqual({ ...expected, sourceFile: undefined });
  });

  it('accepts the other JSON shapes Vault accepts for stanzas', async () => {
    const config = await load(
      JSON.stringify({
        storage: [{ inmem: {} }],
        listener: { tcp: [{ address: '127.0.0.1:9001', tls_disable: true }, { address: '127.0.0.1:9002', tls_disable: '1' }] },
        telemetry: [{ prometheus_retention_time: '1h' }],
      }),
      'json',
    );
    expect(config.storage).toEqual({ type: 'inmem' });
    expect(config.listeners.map((l) => l.address)).toEqual(['127.0.0.1:9001', '127.0.0.1:9002']);
    expect(config.telemetry?.prometheusRetentionTime).toBe(3600);
  });

  it('reads JSON from a file not named .json when it starts with a brace, as Vault does', async () => {
    const config = await load('\n  {"storage": {"inmem": {}}, "ui": true}', 'conf');
    expect(config.storage).toEqual({ type: 'inmem' });
    expect(config.ui).toBe(true);
  });

  it('applies every default when storage, listener and the rest are omitted', async () => {
    const file = write('# nothing but a comment\n');
    expect(await loadServerConfig(file)).toEqual({ ...DEFAULTS, sourceFile: file });
  });

  it('defaults a listener address and keeps TLS on unless disabled', async () => {
    const config = await load(`
listener "tcp" {
  tls_cert_file = "${certFile}"
  tls_key_file  = "${keyFile}"
}
storage "inmem" {}
`);
    expect(config.listeners).toEqual([
      { type: 'tcp', address: '127.0.0.1:8200', tlsDisable: false, tlsCertFile: certFile, tlsKeyFile: keyFile },
    ]);
  });

  it('defaults the sqlite path inside a storage "sqlite" stanza and keeps relative paths as written', async () => {
    expect((await load('storage "sqlite" {}\n')).storage).toEqual({ type: 'sqlite', path: './ward-data/ward.db' });
    expect((await load('storage "sqlite" {\n  path = "data/ward.db"\n}\n')).storage).toEqual({ type: 'sqlite', path: 'data/ward.db' });
  });

  it.each([
    ['true', true],
    ['"true"', true],
    ['"1"', true],
    ['1', true],
    ['false', false],
    ['"false"', false],
    ['0', false],
  ])('reads tls_disable = %s as %s', async (written, expected) => {
    const config = await load(`
listener "tcp" {
  tls_disable   = ${written}
  tls_cert_file = "${certFile}"
  tls_key_file  = "${keyFile}"
}
`);
    expect(config.listeners[0]?.tlsDisable).toBe(expected);
  });

  it.each([
    ['"768h"', 2_764_800],
    ['"30m"', 1800],
    ['"1h30m"', 5400],
    ['"45s"', 45],
    ['"2d"', 172_800],
    ['"3600"', 3600],
    ['3600', 3600],
    ['120', 120],
  ])('reads the duration %s as %i seconds', async (written, seconds) => {
    const config = await load(`default_lease_ttl = ${written}\nmax_lease_ttl = "1000h"\ntelemetry {\n  prometheus_retention_time = ${written}\n}\n`);
    expect(config.defaultLeaseTtl).toBe(seconds);
    expect(config.maxLeaseTtl).toBe(3_600_000);
    expect(config.telemetry?.prometheusRetentionTime).toBe(seconds);
  });

  it('treats a TTL of 0 as unset and lowers the default with a smaller max_lease_ttl set alone', async () => {
    expect(await load('default_lease_ttl = 0\nmax_lease_ttl = "0s"\n')).toMatchObject({ defaultLeaseTtl: 2_764_800, maxLeaseTtl: 2_764_800 });
    expect(await load('max_lease_ttl = "1h"\n')).toMatchObject({ defaultLeaseTtl: 3600, maxLeaseTtl: 3600 });
    expect(await load('default_lease_ttl = "1h"\n')).toMatchObject({ defaultLeaseTtl: 3600, maxLeaseTtl: 2_764_800 });
  });

  it.each([
    ['trace', 'trace'],
    ['DEBUG', 'debug'],
    ['Info', 'info'],
    ['warn', 'warn'],
    ['WARNING', 'warn'],
    ['err', 'error'],
    ['Error', 'error'],
  ])('normalises log_level %s to %s', async (written, level) => {
    expect((await load(`log_level = "${written}"\n`)).logLevel).toBe(level);
  });

  it('unescapes HCL literal escapes ($${ and %%{)', async () => {
    expect((await load('cluster_name = "a-$${b}-%%{c}"\n')).clusterName).toBe('a-${b}-%{c}');
  });

  it('parses text without a file on disk with parseServerConfig', async () => {
    const config = await parseServerConfig('ui = true\n', 'inline.hcl');
    expect(config).toEqual({ ...DEFAULTS, ui: true, sourceFile: 'inline.hcl' });
  });
});

describe('invalid configurations', () => {
  const TOP_KEYS = 'storage, listener, telemetry, api_addr, ui, default_lease_ttl, max_lease_ttl, log_level, disable_mlock, cluster_name';
  const TCP_KEYS = 'address, tls_disable, tls_cert_file, tls_key_file';
  const DURATION = 'a duration such as "768h", "30m", "1h30m" or "45s", or a whole number of seconds';

  it('rejects a misspelt stanza and suggests the right one', async () => {
    const { problems, file } = await loadError('storag "sqlite" {\n  path = "x.db"\n}\n');
    expect(problems).toEqual([`${file}: storag: unknown stanza (did you mean "storage"?), expected one of ${TOP_KEYS}`]);
  });

  it('rejects listner', async () => {
    const { problems, file } = await loadError('listner "tcp" {\n  tls_disable = true\n}\n');
    expect(problems).toEqual([`${file}: listner: unknown stanza (did you mean "listener"?), expected one of ${TOP_KEYS}`]);
  });

  it('rejects an unknown top-level key', async () => {
    const { problems, file } = await loadError('foo = 1\n');
    expect(problems).toEqual([`${file}: foo: unknown key, expected one of ${TOP_KEYS}`]);
  });

  it('rejects an unknown key inside a known stanza', async () => {
    const { problems, file } = await loadError('listener "tcp" {\n  adress      = "127.0.0.1:8200"\n  tls_disable = true\n}\n');
    expect(problems).toEqual([`${file}: listener "tcp" > adress: unknown key (did you mean "address"?), expected one of ${TCP_KEYS}`]);
  });

  it('rejects keys in storage "inmem" and in telemetry', async () => {
    const { problems, file } = await loadError('storage "inmem" {\n  path = "x"\n}\ntelemetry {\n  statsd_address = "x:1"\n}\n');
    expect(problems).toEqual([
      `${file}: storage "inmem" > path: unknown key, expected no keys in this stanza`,
      `${file}: telemetry > statsd_address: unknown key, expected one of prometheus_retention_time, disable_hostname, unauthenticated_metrics_access`,
    ]);
  });

  it('rejects an unsupported storage type and lists the supported ones', async () => {
    const { problems, file } = await loadError('storage "consul" {\n  address = "127.0.0.1:8500"\n}\n');
    expect(problems).toEqual([`${file}: storage "consul": unsupported storage type "consul", expected one of sqlite, inmem`]);
  });

  it('rejects more than one storage stanza', async () => {
    const { problems, file } = await loadError('storage "sqlite" {\n  path = "a.db"\n}\nstorage "inmem" {}\n');
    expect(problems).toEqual([`${file}: storage: 2 storage stanzas (storage "inmem", storage "sqlite"), expected exactly one storage stanza`]);
    const twice = await loadError('storage "sqlite" {}\nstorage "sqlite" {}\n');
    expect(twice.problems).toEqual([
      `${twice.file}: storage: 2 storage stanzas (storage "sqlite", storage "sqlite"), expected exactly one storage stanza`,
    ]);
  });

  it('rejects a storage stanza without a type label', async () => {
    const { problems, file } = await loadError('storage {\n  path = "x.db"\n}\n');
    expect(problems).toEqual([
      `${file}: storage: the stanza has no type label, expected a stanza with a type label, such as storage "sqlite" { path = "/var/lib/ward/ward.db" }`,
    ]);
  });

  it('rejects a bad duration', async () => {
    const { problems, file } = await loadError('default_lease_ttl = "forever"\n');
    expect(problems).toEqual([`${file}: default_lease_ttl: "forever" is not a valid duration, expected ${DURATION}`]);
  });

  it('rejects negative and non-duration values in every duration key', async () => {
    const { problems, file } = await loadError('max_lease_ttl = -5\ntelemetry {\n  prometheus_retention_time = true\n}\n');
    expect(problems).toEqual([
      `${file}: max_lease_ttl: -5 is not a valid duration, expected ${DURATION}`,
      `${file}: telemetry > prometheus_retention_time: true is not a valid duration, expected ${DURATION}`,
    ]);
  });

  it('rejects a value that is not a boolean', async () => {
    const { problems, file } = await loadError('ui = "maybe"\n');
    expect(problems).toEqual([`${file}: ui: "maybe" is not a boolean, expected true or false`]);
  });

  it('rejects an address that is not a string', async () => {
    const { problems, file } = await loadError('listener "tcp" {\n  address     = 5\n  tls_disable = true\n}\n');
    expect(problems).toEqual([
      `${file}: listener "tcp" > address: 5 is not a string, expected a host:port string such as "127.0.0.1:8200", "[::1]:8200" or "0.0.0.0:8200"`,
    ]);
  });

  it('rejects an address without a port', async () => {
    const { problems, file } = await loadError('listener "tcp" {\n  address     = "localhost"\n  tls_disable = true\n}\n');
    expect(problems).toEqual([
      `${file}: listener "tcp" > address: "localhost" is not a host:port address, expected a host:port string such as "127.0.0.1:8200", "[::1]:8200" or "0.0.0.0:8200"`,
    ]);
  });

  it('rejects a listener type other than tcp', async () => {
    const { problems, file } = await loadError('listener "unix" {\n  address = "/run/ward.sock"\n}\n');
    expect(problems).toEqual([`${file}: listener "unix": unsupported listener type "unix", expected tcp`]);
  });

  it('rejects a listener with TLS enabled but no certificate or key', async () => {
    const { problems, file } = await loadError('listener "tcp" {\n  address = "0.0.0.0:8200"\n}\n');
    expect(problems).toEqual([
      `${file}: listener "tcp" > tls_cert_file: missing while TLS is enabled, expected the path of a PEM certificate file, or tls_disable = true to serve plain HTTP`,
      `${file}: listener "tcp" > tls_key_file: missing while TLS is enabled, expected the path of a PEM private key file, or tls_disable = true to serve plain HTTP`,
    ]);
  });

  it('rejects TLS files that do not exist, naming the listener among several', async () => {
    const missing = join(dir, 'missing.crt');
    const { problems, file } = await loadError(`
listener "tcp" {
  address     = "127.0.0.1:8201"
  tls_disable = true
}
listener "tcp" {
  address       = "127.0.0.1:8202"
  tls_cert_file = "${missing}"
  tls_key_file  = "${keyFile}"
}
`);
    expect(problems).toEqual([
      `${file}: listener "tcp" #2 > tls_cert_file: cannot read "${missing}" (no such file), expected a readable PEM certificate file`,
    ]);
  });

  it('rejects TLS files that are directories or hold no PEM data', async () => {
    const notPem = join(dir, 'not-pem.key');
    writeFileSync(notPem, 'just some text\n');
    const { problems, file } = await loadError(`listener "tcp" {\n  tls_cert_file = "${dir}"\n  tls_key_file  = "${notPem}"\n}\n`);
    expect(problems).toEqual([
      `${file}: listener "tcp" > tls_cert_file: "${dir}" is not a regular file, expected a readable PEM certificate file`,
      `${file}: listener "tcp" > tls_key_file: "${notPem}" contains no PEM data, expected a readable PEM private key file`,
    ]);
  });

  // root reads any file whatever its mode, so the check cannot fail there.
  it.skipIf(process.getuid?.() === 0)('rejects a TLS key file that is not readable', async () => {
    const locked = join(dir, 'locked.key');
    writeFileSync(locked, KEY);
    chmodSync(locked, 0o000);
    const { problems, file } = await loadError(`listener "tcp" {\n  tls_cert_file = "${certFile}"\n  tls_key_file  = "${locked}"\n}\n`);
    expect(problems).toEqual([
      `${file}: listener "tcp" > tls_key_file: cannot read "${locked}" (permission denied), expected a readable PEM private key file`,
    ]);
  });

  it('rejects two listeners on the same address', async () => {
    const { problems, file } = await loadError(
      'listener "tcp" {\n  address = "127.0.0.1:8200"\n  tls_disable = true\n}\nlistener "tcp" {\n  address = "127.0.0.1:8200"\n  tls_disable = true\n}\n',
    );
    expect(problems).toEqual([
      `${file}: listener "tcp" #2 > address: "127.0.0.1:8200" is already used by listener "tcp" #1, expected a different address for each listener`,
    ]);
  });

  it('rejects default_lease_ttl longer than max_lease_ttl', async () => {
    const { problems, file } = await loadError('default_lease_ttl = "2h"\nmax_lease_ttl = "1h"\n');
    expect(problems).toEqual([
      `${file}: default_lease_ttl: 2h0m0s is longer than max_lease_ttl (1h0m0s), expected a duration no longer than max_lease_ttl`,
    ]);
    const againstDefault = await loadError('default_lease_ttl = "800h"\n');
    expect(againstDefault.problems).toEqual([
      `${againstDefault.file}: default_lease_ttl: 800h0m0s is longer than max_lease_ttl (768h0m0s, the default), expected a duration no longer than max_lease_ttl`,
    ]);
  });

  it('rejects a bad log_level, api_addr and cluster_name', async () => {
    const { problems, file } = await loadError('log_level = "loud"\napi_addr = "ward.example.com:8200"\ncluster_name = ""\n');
    expect(problems).toEqual([
      `${file}: api_addr: "ward.example.com:8200" is not an http(s) URL, expected a full URL such as "https://ward.example.com:8200"`,
      `${file}: log_level: "loud" is not a log level, expected one of trace, debug, info, warn, error`,
      `${file}: cluster_name: the value is empty, expected a cluster name such as "ward-1"`,
    ]);
  });

  it('rejects HCL expressions, which Ward does not evaluate', async () => {
    const { problems, file } = await loadError('cluster_name = "ward-${var.n}"\n');
    expect(problems).toEqual([
      `${file}: cluster_name: "ward-\${var.n}" uses an HCL expression or template, which Ward does not evaluate, expected a cluster name such as "ward-1", written as a literal`,
    ]);
  });

  it('reports every problem of a file at once', async () => {
    const { problems, file } = await loadError('ui = "maybe"\nstorage "consul" {}\nfoo = 1\n');
    expect(problems).toHaveLength(3);
    for (const problem of problems) expect(problem.startsWith(`${file}: `)).toBe(true);
    expect(problems.some((p) => p.includes(': ui: '))).toBe(true);
    expect(problems.some((p) => p.includes(': storage "consul": '))).toBe(true);
    expect(problems.some((p) => p.includes(': foo: '))).toBe(true);
  });

  it('reports an HCL syntax error with the parser line:column', async () => {
    const { problems, file } = await loadError('storage "sqlite" {\n  path = \n}\n');
    expect(problems).toEqual([
      `${file}: 2:10: Invalid expression; Expected the start of an expression, but found an invalid expression token.`,
    ]);
  });

  it('rewrites positions inside HCL diagnostics to line:column', async () => {
    const { problems, file } = await loadError('ui = true\nui = false\n');
    expect(problems).toEqual([
      `${file}: 2:1: Attribute redefined; The argument "ui" was already set at 1:1. Each argument may be set only once.`,
    ]);
  });

  it('rejects HCL1-style blocks with several arguments on one line (HCL2 syntax is required)', async () => {
    const { problems, file } = await loadError('listener "tcp" { address = "127.0.0.1:8200"  tls_disable = true }\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${escapeRegExp(file)}: 1:\\d+: Invalid single-argument block definition; `));
  });

  it('reports a JSON syntax error with line:column', async () => {
    const { problems, file } = await loadError('{\n  "ui": true,\n}\n', 'json');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${escapeRegExp(file)}: 3:1: \\S`));
  });

  it('rejects a JSON document that is not an object', async () => {
    const { problems, file } = await loadError('[1, 2]', 'json');
    expect(problems).toEqual([`${file}: the document is a list, expected an object of top-level keys and stanzas`]);
  });

  it('names a configuration file that cannot be read', async () => {
    const missing = join(dir, 'nope', 'ward.hcl');
    await expect(loadServerConfig(missing)).rejects.toThrow(new ConfigError(`${missing}: cannot read the configuration file (no such file)`));
    const sub = join(dir, 'a-directory.hcl');
    mkdirSync(sub);
    await expect(loadServerConfig(sub)).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('parseListenAddress', () => {
  it.each([
    ['127.0.0.1:8200', { host: '127.0.0.1', port: 8200 }],
    ['[::1]:8200', { host: '::1', port: 8200 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
    [':8200', { host: undefined, port: 8200 }],
  ])('splits %s', (address, expected) => {
    expect(parseListenAddress(address)).toEqual(expected);
  });

  it.each(['127.0.0.1', '127.0.0.1:65536', '::1:8200', 'host:port', '127.0.0.1:8200 '])('rejects %s', (address) => {
    expect(parseListenAddress(address)).toBeUndefined();
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
