import type { Operation } from '../framework/types.js';
import { WardError, invalidRequest, notFound, unsupportedOperation } from '../lib/errors.js';
import { parseGoBool } from '../lib/parse-bool.js';
import { parseDurationSeconds } from '../lib/duration.js';
import { LIST_STAND_IN } from './list-method.js';

export interface HttpInput {
  method: string;
  /** The URL after `/v1/`, with its query string. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | undefined;
}

export interface ParsedRequest {
  operation: Operation;
  path: string;
  data: Record<string, unknown>;
  token: string;
  head: boolean;
}

function header(h: HttpInput['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The token: `X-Vault-Token` first, else `Authorization: Bearer <t>` (spec §1.2). */
export function tokenOf(headers: HttpInput['headers']): string {
  const direct = header(headers, 'x-vault-token');
  if (direct) return direct;
  const authz = header(headers, 'authorization');
  if (authz?.startsWith('Bearer ')) return authz.slice(7).trim();
  return '';
}

function parseBody(body: Buffer | undefined): Record<string, unknown> {
  if (!body || body.length === 0) return {};
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidRequest('error parsing JSON');
  }
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidRequest('error parsing JSON: the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** Maps an HTTP request onto a logical one (spec §1.1–1.3). */
export function toLogicalRequest(input: HttpInput): ParsedRequest {
  const q = input.url.indexOf('?');
  const rawPath = q < 0 ? input.url : input.url.slice(0, q);
  // Most requests carry no query string and no escapes: those skip the parsing below (the results are the same).
  const query = q < 0 ? null : new URLSearchParams(input.url.slice(q + 1));
  let path = rawPath;
  if (rawPath.includes('%')) {
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      throw invalidRequest('invalid URL path encoding');
    }
  }
  if (path.includes('//')) path = path.replace(/\/{2,}/g, '/');
  if (path.startsWith('/')) path = path.slice(1);
  if (path.includes('.')) {
    if (path.split('/').some((s) => s === '..' || s === '.')) throw invalidRequest('invalid request path: "." and ".." segments are not allowed');
    if (path.endsWith('.')) throw notFound();
  }

  const namespace = header(input.headers, 'x-vault-namespace');
  if (namespace && namespace !== 'root' && namespace !== 'root/') throw notFound('namespace not found');

  const queryData: Record<string, unknown> = {};
  if (query) for (const [k, v] of query) if (k !== 'list' && k !== 'help') queryData[k] = v;

  let operation: Operation;
  let data: Record<string, unknown> = {};
  const method = input.method.toUpperCase();
  let head = false;
  switch (method) {
    case 'GET': {
      operation = 'read';
      const list = query ? query.get('list') : null;
      if (list !== null) {
        const b = parseGoBool(list);
        if (b === undefined) throw invalidRequest(`invalid value for "list": ${JSON.stringify(list)}`);
        if (b) operation = 'list';
      }
      data = queryData;
      break;
    }
    case 'LIST':
    case LIST_STAND_IN:
      operation = 'list';
      data = { ...queryData, ...parseBody(input.body) };
      break;
    case 'POST':
    case 'PUT':
      operation = 'update';
      data = parseBody(input.body);
      break;
    case 'PATCH': {
      const type = header(input.headers, 'content-type') ?? '';
      if (!type.toLowerCase().startsWith('application/merge-patch+json')) {
        throw new WardError('unsupported_media_type', `PATCH requires Content-Type application/merge-patch+json, got "${type}"`);
      }
      operation = 'patch';
      data = parseBody(input.body);
      break;
    }
    case 'DELETE':
      operation = 'delete';
      data = { ...queryData, ...parseBody(input.body) };
      break;
    case 'HEAD':
      if (path !== 'sys/health') throw unsupportedOperation();
      operation = 'read';
      head = true;
      data = queryData;
      break;
    default:
      throw unsupportedOperation();
  }
  const help = query ? query.get('help') : null;
  if (help !== null && parseGoBool(help) === true) operation = 'help';
  if (operation === 'list' && !path.endsWith('/')) path = `${path}/`;
  return { operation, path, data, token: tokenOf(input.headers), head };
}

/** `X-Vault-Wrap-TTL`: a duration (seconds or "5m"); absent = 0; bad or negative = Vault's 400. */
export function parseWrapTTL(value: string | string[] | undefined): number {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v === '') return 0;
  try {
    const seconds = parseDurationSeconds(v, 'X-Vault-Wrap-TTL');
    if (seconds <= 0) throw new Error('not positive');
    return seconds;
  } catch {
    throw invalidRequest('error parsing X-Vault-Wrap-TTL header');
  }
}
