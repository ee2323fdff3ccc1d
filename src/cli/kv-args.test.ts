import { describe, expect, it } from 'vitest';
import { KvArgError, parseArgsData, parseArgsDataString } from './kv-args.js';

const sources = (stdin = '', files: Record<string, string> = {}) => {
  let reads = 0;
  return {
    reads: () => reads,
    readStdin: async () => {
      reads++;
      return stdin;
    },
    readFile: (p: string) => {
      const f = files[p];
      if (f === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return f;
    },
  };
};

describe('parseArgsData (Vault kvbuilder)', () => {
  it('splits on the first = only and keeps values verbatim', async () => {
    await expect(parseArgsData(['a=b', 'c=d=e', 'empty=', 'sp=a b'], sources())).resolves.toEqual({ a: 'b', c: 'd=e', empty: '', sp: 'a b' });
  });

  it('reads key=@file from the file and key=\\@x as a literal @x', async () => {
    await expect(parseArgsData(['cert=@ca.pem', 'at=\\@home'], sources('', { 'ca.pem': '-----BEGIN-----\n' }))).resolves.toEqual({ cert: '-----BEGIN-----\n', at: '@home' });
  });

  it('reads key=- from stdin, once', async () => {
    const s = sources('s3cr3t');
    await expect(parseArgsData(['password=-'], s)).resolves.toEqual({ password: 's3cr3t' });
    expect(s.reads()).toBe(1);
    await expect(parseArgsData(['a=-', 'b=-'], sources('x'))).rejects.toThrow('invalid key/value pair "b=-": stdin already consumed');
  });

  it('merges a JSON object from a bare - or @file.json, later pairs overriding', async () => {
    await expect(parseArgsData(['-', 'extra=1'], sources('{"a":"b","n":2,"nested":{"x":true}}'))).resolves.toEqual({ a: 'b', n: 2, nested: { x: true }, extra: '1' });
    await expect(parseArgsData(['@d.json'], sources('', { 'd.json': '{"k":"v"}' }))).resolves.toEqual({ k: 'v' });
  });

  it('turns repeated keys into a list', async () => {
    await expect(parseArgsData(['p=a', 'p=b', 'p=c'], sources())).resolves.toEqual({ p: ['a', 'b', 'c'] });
  });

  it('rejects a bare word, a missing file and non-object JSON with Vault\'s wording', async () => {
    await expect(parseArgsData(['foo'], sources())).rejects.toThrow(new KvArgError('invalid key/value pair "foo": format must be key=value'));
    await expect(parseArgsData(['k=@missing.txt'], sources())).rejects.toThrow('invalid key/value pair "k=@missing.txt": error reading file: open missing.txt: no such file or directory');
    await expect(parseArgsData(['-'], sources('[1,2]'))).rejects.toThrow('json: cannot unmarshal array into Go value of type map[string]interface {}');
    await expect(parseArgsData(['-'], sources(''))).rejects.toThrow('invalid key/value pair "-": EOF');
  });

  it('ignores empty arguments', async () => {
    await expect(parseArgsData(['', 'a=1'], sources())).resolves.toEqual({ a: '1' });
  });
});

describe('parseArgsDataString', () => {
  it('keeps strings and refuses structured values', async () => {
    await expect(parseArgsDataString(['token=abc', 'lookup=false'], sources())).resolves.toEqual({ token: 'abc', lookup: 'false' });
    await expect(parseArgsDataString(['-'], sources('{"a":{"b":1}}'))).rejects.toThrow(KvArgError);
  });
});


describe('JSON errors', () => {
  it('never repeat the (secret) input', async () => {
    const err = await parseArgsData(['-'], sources('{"password": hunter2}')).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(KvArgError);
    expect((err as Error).message).toMatch(/^invalid key\/value pair "-": invalid JSON/);
    expect((err as Error).message).not.toContain('hunter2');
    await expect(parseArgsData(['-'], sources('{"a":'))).rejects.toThrow('invalid key/value pair "-": unexpected end of JSON input');
  });
});
