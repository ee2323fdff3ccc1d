/**
 * `key=value` argument parsing as Vault's kvbuilder does it: `key=@file` reads a file, `key=-` reads stdin,
 * `key=\@x` is a literal `@x`, a bare `-` or `@file.json` merges a JSON object, repeated keys become lists.
 */

/** Where `-` and `@file` read from (the process, or fakes in tests). */
export interface ArgSources {
  readStdin(): Promise<string>;
  readFile(path: string): string;
}

/** A `key=value` argument that could not be parsed (message as Vault prints it). */
export class KvArgError extends Error {}

/** Renders a Node file-system error the way Go's os package words it (`open x: no such file or directory`). */
export function goFsError(err: unknown, path: string): string {
  const code = (err as { code?: string }).code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
  };
  if (code === 'EISDIR') return `read ${path}: is a directory`;
  if (code && reasons[code]) return `open ${path}: ${reasons[code]}`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * A JSON syntax error without the input: Node's messages quote the text being parsed, which here is a secret read
 * from stdin or a file, so only the position is kept.
 */
export function jsonErrorWithoutContent(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Unexpected end of JSON input/.test(msg)) return 'unexpected end of JSON input';
  const pos = /position (\d+)/.exec(msg);
  return pos ? `invalid JSON at offset ${pos[1]}` : 'invalid JSON';
}

function mergeJson(result: Record<string, unknown>, text: string): void {
  if (text.trim() === '') throw new Error('EOF');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(jsonErrorWithoutContent(e));
  }
  if (parsed === null) return;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : typeof parsed} into Go value of type map[string]interface {}`);
  }
  Object.assign(result, parsed);
}

/** Parses `key=value` arguments into request data (Vault's parseArgsData). */
export async function parseArgsData(args: readonly string[], sources: ArgSources): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  let stdinUsed = false;
  const readStdin = async (): Promise<string> => {
    if (stdinUsed) throw new Error('stdin already consumed');
    stdinUsed = true;
    return sources.readStdin();
  };
  for (const raw of args) {
    try {
      await addOne(result, raw, readStdin, sources);
    } catch (e) {
      throw new KvArgError(`invalid key/value pair ${JSON.stringify(raw)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return result;
}

async function addOne(result: Record<string, unknown>, raw: string, readStdin: () => Promise<string>, sources: ArgSources): Promise<void> {
  if (raw === '') return;
  const eq = raw.indexOf('=');
  if (eq < 0) {
    if (raw === '-') return mergeJson(result, await readStdin());
    if (raw.startsWith('@')) {
      const path = raw.slice(1);
      let text: string;
      try {
        text = sources.readFile(path);
      } catch (e) {
        throw new Error(goFsError(e, path));
      }
      return mergeJson(result, text);
    }
    throw new Error('format must be key=value');
  }
  const key = raw.slice(0, eq);
  let value = raw.slice(eq + 1);
  if (value.startsWith('@')) {
    const path = value.slice(1);
    try {
      value = sources.readFile(path);
    } catch (e) {
      throw new Error(`error reading file: ${goFsError(e, path)}`);
    }
  } else if (value.startsWith('\\@')) {
    value = value.slice(1);
  } else if (value === '-') {
    value = await readStdin();
  }
  if (Object.prototype.hasOwnProperty.call(result, key)) {
    const existing = result[key];
    result[key] = Array.isArray(existing) ? [...(existing as unknown[]), value] : [existing, value];
    return;
  }
  result[key] = value;
}

/** Like {@link parseArgsData}, with every value turned into a string (Vault's parseArgsDataString, used by login). */
export async function parseArgsDataString(args: readonly string[], sources: ArgSources): Promise<Record<string, string>> {
  const data = await parseArgsData(args, sources);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (Array.isArray(v) || (v !== null && typeof v === 'object')) throw new KvArgError(`error converting ${JSON.stringify(k)} to a string`);
    out[k] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}

/** Like {@link parseArgsData}, with every value a list of strings (query parameters for `read`). */
export async function parseArgsDataStringLists(args: readonly string[], sources: ArgSources): Promise<Record<string, string[]>> {
  const data = await parseArgsData(args, sources);
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(data)) out[k] = (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  return out;
}
