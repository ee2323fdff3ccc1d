import { invalidRequest } from '../../framework/index.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function fromJSON(text: string): Record<string, string> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    // Go decodes into map[string]string: any other value type fails the JSON route.
    if (typeof v !== 'string') return null;
    out[k] = v;
  }
  return out;
}

function fromPairs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of text.split(',')) {
    const pair = item.trim();
    if (pair === '') continue;
    const parts = pair.split('=');
    if (parts.length !== 2 || (parts[0] ?? '').trim() === '') throw new Error(`invalid <key,value> format: "${pair}"`);
    out[(parts[0] as string).trim()] = (parts[1] as string).trim();
  }
  return out;
}

/**
 * A secret ID's `metadata`, as Vault's `strutil.ParseArbitraryKeyValues` reads it: a JSON object of strings (what
 * hvac and node-vault send, as a string), optionally base64-encoded, or `k1=v1,k2=v2`. A JSON object given directly
 * is accepted too. Every key needs a non-empty value.
 */
export function parseSecretIdMetadata(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  try {
    let out: Record<string, string>;
    if (typeof raw === 'object' && !Array.isArray(raw)) {
      const direct = fromJSON(JSON.stringify(raw));
      if (direct === null) throw new Error('metadata values must be strings');
      out = direct;
    } else if (typeof raw === 'string') {
      let text = raw.trim();
      if (text === '') return {};
      if (BASE64.test(text)) text = Buffer.from(text, 'base64').toString('utf8');
      out = fromJSON(text) ?? fromPairs(text);
    } else {
      throw new Error('expected a JSON string of key/value pairs');
    }
    for (const [k, v] of Object.entries(out)) {
      if (k !== '' && v === '') throw new Error(`invalid value for key "${k}"`);
    }
    return out;
  } catch (err) {
    throw invalidRequest(`failed to parse metadata: ${err instanceof Error ? err.message : String(err)}`);
  }
}
