import { describe, expect, it } from 'vitest';
import { memoryUi } from '../memory-ui.js';
import { emptySecret, makeAuth, parseSecret } from '../secret.js';
import { columnOutput, tableOutput } from './columnize.js';
import { goDurationString, humanDuration, parseDurationSecond, parseGoDuration } from './duration.js';
import { goQuoteSlice, goTimeString, goValue } from './gofmt.js';
import { goJson } from './gojson.js';
import { goYaml } from './goyaml.js';
import { outputData, outputList, outputSecret, printRawField } from './output.js';
import { wrapAtLength } from './wrap.js';

describe('columnize (Vault tableOutput/columnOutput)', () => {
  it('aligns on the widest cell with a four-space glue and underlines the header', () => {
    expect(tableOutput(['Path | Type | Description', 'cubbyhole/ | cubbyhole | per-token private secret storage', 'secret/ | kv | '])).toBe(
      ['Path          Type         Description', '----          ----         -----------', 'cubbyhole/    cubbyhole    per-token private secret storage', 'secret/       kv           n/a'].join('\n'),
    );
  });

  it('pads by code points, as Go\'s %-*s does', () => {
    expect(columnOutput(['é | 1', 'ab | 2'])).toBe('é     1\nab    2');
  });

  it('reproduces Vault\'s own TestStatusFormat expectation for a sealed recovery-seal status', async () => {
    const { sealStatusTable } = await import('../seal-status.js');
    const st = { type: 'type', initialized: true, sealed: true, t: 1, n: 2, progress: 3, nonce: 'nonce', version: 'version', build_date: 'build date', migration: true, recovery_seal: true, storage_type: '' };
    expect(sealStatusTable(st, { ha_enabled: false })).toBe(`Key                           Value
---                           -----
Recovery Seal Type            type
Initialized                   true
Sealed                        true
Total Recovery Shares         2
Threshold                     1
Unseal Progress               3/1
Unseal Nonce                  nonce
Seal Migration in Progress    true
Version                       version
Build Date                    build date
Storage Type                  n/a
HA Enabled                    false`);
    const full = { ...st, cluster_name: 'cluster name', cluster_id: 'cluster id', storage_type: 'storage type', warnings: ['warning'] };
    expect(sealStatusTable(full, { ha_enabled: true, is_self: true, leader_address: 'leader address', last_wal: 2, raft_committed_index: 3, raft_applied_index: 4 }).split('\n').slice(13)).toEqual([
      'Cluster Name                  cluster name',
      'Cluster ID                    cluster id',
      'HA Enabled                    true',
      'Raft Committed Index          3',
      'Raft Applied Index            4',
      'Last WAL                      2',
      'Warnings                      [warning]',
    ]);
  });
});

describe('durations', () => {
  it('prints Go duration strings', () => {
    expect(goDurationString(0n)).toBe('0s');
    expect(goDurationString(2_764_800n * 1_000_000_000n)).toBe('768h0m0s');
    expect(goDurationString(90n * 1_000_000_000n)).toBe('1m30s');
    expect(goDurationString(1_500_000n)).toBe('1.5ms');
    expect(goDurationString(3_600_500_000_000n)).toBe('1h0m0.5s');
  });

  it('drops the pesky zeros like humanDuration', () => {
    expect(humanDuration(2_764_800)).toBe('768h');
    expect(humanDuration(3600)).toBe('1h');
    expect(humanDuration(5400)).toBe('1h30m');
    expect(humanDuration(3661)).toBe('1h1m1s');
    expect(humanDuration(45)).toBe('45s');
    expect(humanDuration(0)).toBe('0s');
  });

  it('parses Go durations and Vault\'s second/day forms', () => {
    expect(parseGoDuration('1h30m')).toBe(5_400_000_000_000n);
    expect(parseGoDuration('1.5s')).toBe(1_500_000_000n);
    expect(parseDurationSecond('30')).toBe(30_000_000_000n);
    expect(parseDurationSecond('2d')).toBe(172_800_000_000_000n);
    expect(() => parseGoDuration('1x')).toThrow('time: invalid duration "1x"');
    expect(() => parseGoDuration('10')).toThrow('time: missing unit in duration "10"');
  });
});

describe('Go %v and %q', () => {
  it('prints maps sorted, slices space-separated and nil as <nil>', () => {
    expect(goValue({ b: 2, a: 'x', c: null, d: [1, 'two'], e: { z: true } })).toBe('map[a:x b:2 c:<nil> d:[1 two] e:map[z:true]]');
    expect(goQuoteSlice(['admin', 'default'])).toBe('["admin" "default"]');
    expect(goQuoteSlice(null)).toBe('[]');
    expect(goTimeString('2018-03-22T17:23:15.452497Z')).toBe('2018-03-22 17:23:15.452497 +0000 UTC');
  });
});

describe('wrapAtLength (kr/text minimal raggedness at 78 columns)', () => {
  it('breaks Vault\'s login message exactly where the vault binary does', () => {
    expect(
      wrapAtLength(
        'Success! You are now authenticated. The token information displayed below is already stored in the token helper. You do NOT need to run "vault login" again. Future Vault requests will automatically use this token.',
      ),
    ).toBe(
      'Success! You are now authenticated. The token information displayed below\nis already stored in the token helper. You do NOT need to run "vault login"\nagain. Future Vault requests will automatically use this token.',
    );
  });

  it('breaks Vault\'s init message exactly where the vault binary does', () => {
    expect(
      wrapAtLength(
        'Vault initialized with 5 key shares and a key threshold of 3. Please securely distribute the key shares printed above. When the Vault is re-sealed, restarted, or stopped, you must supply at least 3 of these keys to unseal it before it can start servicing requests.',
      ),
    ).toBe(
      'Vault initialized with 5 key shares and a key threshold of 3. Please securely\ndistribute the key shares printed above. When the Vault is re-sealed,\nrestarted, or stopped, you must supply at least 3 of these keys to unseal it\nbefore it can start servicing requests.',
    );
  });
});

describe('Go JSON and YAML', () => {
  it('indents by two spaces, keeps struct (Map) order, sorts map keys byte-wise and HTML-escapes', () => {
    const v = new Map<string, unknown>([
      ['z', 1],
      ['a', { b: 'x<y>&', a: [], '10': 1, '2': 2 }],
    ]);
    expect(goJson(v)).toBe('{\n  "z": 1,\n  "a": {\n    "10": 1,\n    "2": 2,\n    "a": [],\n    "b": "x\\u003cy\\u003e\\u0026"\n  }\n}');
  });

  it('writes YAML like ghodss/yaml: sorted keys, unindented lists, YAML 1.1 quoting', () => {
    expect(goYaml({ warnings: null, data: { keys: ['a', 'b'], flag: 'yes', n: '1', t: '2018-03-22T02:24:06.945Z' }, lease_id: '', renewable: false }).trim()).toBe(
      'data:\n  flag: "yes"\n  keys:\n  - a\n  - b\n  "n": "1"\n  t: "2018-03-22T02:24:06.945Z"\nlease_id: ""\nrenewable: false\nwarnings: null',
    );
  });
});

const kvV1Read = parseSecret({
  request_id: 'e2fb2b8a-6a0b-4e2b-8b55-0e9d4b3a7f1c',
  lease_id: '',
  renewable: false,
  lease_duration: 2764800,
  data: { foo: 'bar', ttl: 3600, count: 3 },
  wrap_info: null,
  warnings: null,
  auth: null,
  mount_type: 'kv',
});

describe('OutputSecret / OutputList / OutputData', () => {
  it('prints a kv v1 read as Vault does: refresh_interval first, data sorted, *_ttl humanised', () => {
    const ui = memoryUi();
    expect(outputSecret({ ui, format: 'table' }, kvV1Read)).toBe(0);
    expect(ui.stdout()).toBe('Key                 Value\n---                 -----\nrefresh_interval    768h\ncount               3\nfoo                 bar\nttl                 1h\n');
  });

  it('prints leased secrets with lease_id, lease_duration and lease_renewable', () => {
    const ui = memoryUi();
    outputSecret({ ui, format: 'table' }, parseSecret({ lease_id: 'database/creds/ro/abc', lease_duration: 3600, renewable: true, data: { username: 'v-ro', password: 'p' } }));
    expect(ui.stdout()).toBe(
      'Key                Value\n---                -----\nlease_id           database/creds/ro/abc\nlease_duration     1h\nlease_renewable    true\npassword           p\nusername           v-ro\n',
    );
  });

  it('prints an auth block like `vault login` (the Vault docs example)', () => {
    const ui = memoryUi();
    const s = emptySecret();
    s.auth = makeAuth({ client_token: 's.3jnbMAKl1i4YDuu4PUfyb5pp', accessor: '7Uod1Rm0ejUAz77Oh7SxpAM0', lease_duration: 2764789, renewable: true, token_policies: ['admin', 'default'], identity_policies: [], policies: ['admin', 'default'], metadata: { user: 'x' } });
    outputSecret({ ui, format: 'table' }, s);
    expect(ui.stdout()).toBe(`Key                  Value
---                  -----
token                s.3jnbMAKl1i4YDuu4PUfyb5pp
token_accessor       7Uod1Rm0ejUAz77Oh7SxpAM0
token_duration       767h59m49s
token_renewable      true
token_policies       ["admin" "default"]
identity_policies    []
policies             ["admin" "default"]
token_meta_user      x
`);
  });

  it('prints warnings on stderr before the table', () => {
    const ui = memoryUi();
    outputSecret({ ui, format: 'table' }, parseSecret({ data: { a: 1 }, warnings: ['Endpoint ignored these unrecognized parameters: [x]'] }));
    expect(ui.stderr()).toBe('WARNING! The following warnings were returned from Ward:\n\n  * Endpoint ignored these unrecognized parameters: [x]\n\n');
  });

  it('prints the full envelope in api.Secret field order for -format=json', () => {
    const ui = memoryUi();
    outputSecret({ ui, format: 'json' }, kvV1Read);
    expect(ui.stdout()).toBe(`{
  "request_id": "e2fb2b8a-6a0b-4e2b-8b55-0e9d4b3a7f1c",
  "lease_id": "",
  "lease_duration": 2764800,
  "renewable": false,
  "data": {
    "count": 3,
    "foo": "bar",
    "ttl": 3600
  },
  "warnings": null,
  "mount_type": "kv"
}
`);
  });

  it('prints the envelope with sorted keys for -format=yaml', () => {
    const ui = memoryUi();
    outputSecret({ ui, format: 'yaml' }, kvV1Read);
    expect(ui.stdout()).toBe('data:\n  count: 3\n  foo: bar\n  ttl: 3600\nlease_duration: 2764800\nlease_id: ""\nmount_type: kv\nrenewable: false\nrequest_id: e2fb2b8a-6a0b-4e2b-8b55-0e9d4b3a7f1c\nwarnings: null\n');
  });

  it('prints lists as a sorted Keys column, or a JSON array of the keys', () => {
    const list = parseSecret({ data: { keys: ['foo', 'bar/', 'baz'] } });
    const t = memoryUi();
    outputList({ ui: t, format: 'table' }, list);
    expect(t.stdout()).toBe('Keys\n----\nbar/\nbaz\nfoo\n');
    const j = memoryUi();
    outputList({ ui: j, format: 'json' }, list);
    expect(j.stdout()).toBe('[\n  "foo",\n  "bar/",\n  "baz"\n]\n');
  });

  it('prints a plain map as a Key/Value table and nothing for an empty one', () => {
    const ui = memoryUi();
    outputData({ ui, format: 'table' }, { version: 1, deletion_time: '', custom_metadata: null });
    outputData({ ui, format: 'table' }, {});
    expect(ui.stdout()).toBe('Key                Value\n---                -----\ncustom_metadata    <nil>\ndeletion_time      n/a\nversion            1\n');
  });

  it('rejects an unknown format', () => {
    const ui = memoryUi();
    expect(outputSecret({ ui, format: 'xml' }, kvV1Read)).toBe(1);
    expect(ui.stderr()).toBe('Invalid output format: xml\n');
  });
});

describe('PrintRawField', () => {
  it('prints the bare value without a newline when stdout is not a terminal', () => {
    const ui = memoryUi({ tty: false });
    expect(printRawField({ ui, format: 'table' }, { secret: kvV1Read }, 'foo')).toBe(0);
    expect(ui.stdout()).toBe('bar');
  });

  it('adds the newline on a terminal', () => {
    const ui = memoryUi({ tty: true });
    printRawField({ ui, format: 'table' }, { secret: kvV1Read }, 'foo');
    expect(ui.stdout()).toBe('bar\n');
  });

  it('formats structured values as %v in table format and as JSON with -format=json', () => {
    const s = parseSecret({ data: { m: { b: 1, a: 'x' }, l: ['p', 'q'] } });
    const t = memoryUi();
    printRawField({ ui: t, format: 'table' }, { secret: s }, 'm');
    expect(t.stdout()).toBe('map[a:x b:1]');
    const j = memoryUi();
    printRawField({ ui: j, format: 'json' }, { secret: s }, 'l');
    expect(j.stdout()).toBe('[\n  "p",\n  "q"\n]');
  });

  it('selects envelope and auth fields by their table names', () => {
    const ui = memoryUi();
    printRawField({ ui, format: 'table' }, { secret: kvV1Read }, 'refresh_interval');
    const s = emptySecret();
    s.auth = makeAuth({ client_token: 'hvs.tok', token_policies: ['root'] });
    printRawField({ ui, format: 'table' }, { secret: s }, 'token');
    printRawField({ ui, format: 'table' }, { secret: s }, 'token_policies');
    expect(ui.stdout()).toBe('2764800hvs.tok[root]');
  });

  it('fails for a missing field', () => {
    const ui = memoryUi();
    expect(printRawField({ ui, format: 'table' }, { secret: kvV1Read }, 'nope')).toBe(1);
    expect(ui.stderr()).toBe('Field "nope" not present in secret\n');
  });
});
