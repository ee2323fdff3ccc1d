import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { goDurationString } from './format/duration.js';
import { goFsError } from './kv-args.js';
import type { Secret } from './secret.js';
import { parseSecret } from './secret.js';

/**
 * A small HTTP client that behaves like Vault's Go `api` package as the CLI uses it: `/v1/` paths joined and
 * cleaned with Go's path rules, `X-Vault-Request` on every call, lists as `GET ?list=true`, and errors worded as
 * `api.ResponseError` words them. Error messages carry the method and URL, never a token or a request body.
 */

/** How to reach the server. */
export interface ClientConfig {
  address: string;
  token: string;
  caCert?: string;
  tlsSkipVerify?: boolean;
  /** Wrap responses for this many nanoseconds (`-wrap-ttl`); 0 = no wrapping. */
  wrapTTL?: bigint;
  /** Per-request timeout in milliseconds (Vault's default is 60 s). */
  timeoutMs?: number;
}

/** An error status from the server (api.ResponseError). */
export class ResponseError extends Error {
  /** The body parsed as a secret when a 404 carried data (Vault returns both). */
  secret: Secret | null = null;

  constructor(
    readonly method: string,
    readonly url: string,
    readonly statusCode: number,
    readonly errors: readonly string[],
    readonly rawError: boolean,
  ) {
    const kind = rawError ? 'Raw Message' : 'Errors';
    const body = rawError && errors.length === 1 ? (errors[0] ?? '') : errors.map((e) => `* ${e}`).join('\n');
    super(`Error making API request.\n\nURL: ${method} ${url}\nCode: ${statusCode}. ${kind}:\n\n${body}`);
  }
}

/** A connection-level failure, worded like Go's `*url.Error` (`Get "https://…": dial tcp …: connection refused`). */
export class TransportError extends Error {}

/** A raw HTTP exchange. */
export interface RawResponse {
  status: number;
  method: string;
  url: string;
  text: string;
  /** The body as JSON, or undefined when empty or not JSON. */
  json: unknown;
}

/** Options of one request. */
export interface RequestOptions {
  query?: Record<string, string | string[]>;
  body?: unknown;
  /** Set false for calls Vault never wraps (kv preflight, token lookup during login). */
  wrap?: boolean;
  contentType?: string;
  /** Overrides the configured token for this call. */
  token?: string;
}

/** Go's path.Join: joins, cleans `.`/`..`/`//`, and drops any trailing slash. */
export function goPathJoin(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('/');
  if (joined === '') return '';
  const rooted = joined.startsWith('/');
  const out: string[] = [];
  for (const seg of joined.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const cleaned = (rooted ? '/' : '') + out.join('/');
  return cleaned === '' ? '.' : cleaned;
}

function goMethodOp(method: string): string {
  return method.charAt(0) + method.slice(1).toLowerCase();
}

function describeTransportError(err: unknown, method: string, url: string): TransportError {
  const e = (err as { cause?: unknown }).cause ?? err;
  const code = (e as { code?: string }).code ?? '';
  const address = (e as { address?: string }).address;
  const port = (e as { port?: number }).port;
  const hostname = (e as { hostname?: string }).hostname ?? new URL(url).hostname;
  let reason: string;
  switch (code) {
    case 'ECONNREFUSED':
      reason = `dial tcp ${address ?? hostname}:${port ?? new URL(url).port}: connect: connection refused`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      reason = `dial tcp: lookup ${hostname}: no such host`;
      break;
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      reason = 'http: server gave HTTP response to HTTPS client';
      break;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      reason = 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
      break;
    case 'CERT_HAS_EXPIRED':
      reason = 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
      break;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      reason = `tls: failed to verify certificate: x509: ${(e as Error).message}`;
      break;
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ABORT_ERR':
      reason = 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
      break;
    default:
      reason = e instanceof Error ? e.message : String(e);
  }
  return new TransportError(`${goMethodOp(method)} ${JSON.stringify(url)}: ${reason}`);
}

function parseErrors(res: RawResponse): { errors: string[]; raw: boolean } {
  const j = res.json as { errors?: unknown } | undefined;
  if (j !== undefined && j !== null && typeof j === 'object' && !Array.isArray(j)) {
    const errs = Array.isArray(j.errors) ? j.errors.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [];
    return { errors: errs, raw: false };
  }
  return { errors: [res.text], raw: true };
}

/** True when a parsed secret carries data or warnings (Vault then returns it even with a 404). */
function hasContent(s: Secret): boolean {
  return (s.warnings?.length ?? 0) > 0 || (s.data !== null && Object.keys(s.data).length > 0);
}

/** The client. Create one per command run and {@link Client.close} it. */
export class Client {
  private readonly agent: Agent;

  constructor(readonly config: ClientConfig) {
    let ca: string | undefined;
    if (config.caCert) {
      try {
        ca = readFileSync(config.caCert, 'utf8');
      } catch (e) {
        throw new Error(`Error loading CA File: ${goFsError(e, config.caCert)}`);
      }
    }
    const timeout = config.timeoutMs ?? 60_000;
    this.agent = new Agent({
      headersTimeout: timeout,
      bodyTimeout: timeout,
      connect: { rejectUnauthorized: config.tlsSkipVerify !== true, ...(ca !== undefined ? { ca } : {}) },
    });
  }

  /** The token requests carry. */
  get token(): string {
    return this.config.token;
  }

  /** Releases pooled connections so the process can exit. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  /** The full URL of an API path, built like the Go client (`path.Join` of the address path and `/v1/<path>`). */
  url(path: string, query?: Record<string, string | string[]>): string {
    const u = new URL(this.config.address);
    u.pathname = goPathJoin(u.pathname, `/v1/${path}`);
    if (query) {
      const keys = Object.keys(query).sort();
      for (const k of keys) {
        const v = query[k] ?? [];
        for (const item of Array.isArray(v) ? v : [v]) u.searchParams.append(k, item);
      }
    }
    return u.toString();
  }

  /** One HTTP exchange; never throws for an HTTP status, only for transport failures. */
  async raw(method: string, path: string, opts: RequestOptions = {}): Promise<RawResponse> {
    const url = this.url(path, opts.query);
    const headers: Record<string, string> = { 'x-vault-request': 'true' };
    const token = opts.token ?? this.config.token;
    if (token) headers['x-vault-token'] = token;
    if (opts.wrap !== false && this.config.wrapTTL && this.config.wrapTTL > 0n) headers['x-vault-wrap-ttl'] = goDurationString(this.config.wrapTTL);
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = opts.contentType ?? 'application/json';
    }
    let status: number;
    let text: string;
    try {
      const res = await request(url, { method: method as 'GET', headers, body: body ?? null, dispatcher: this.agent });
      status = res.statusCode;
      text = await res.body.text();
    } catch (e) {
      throw describeTransportError(e, method, url);
    }
    let json: unknown;
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { status, method, url, text, json };
  }

  /** Like the Go client's rawRequest: any status ≥ 400 becomes a {@link ResponseError}. */
  async call(method: string, path: string, opts: RequestOptions = {}): Promise<RawResponse> {
    const res = await this.raw(method, path, opts);
    if (res.status >= 400) {
      const { errors, raw } = parseErrors(res);
      throw new ResponseError(res.method, res.url, res.status, errors, raw);
    }
    return res;
  }

  private toSecret(res: RawResponse): Secret | null {
    if (res.text.trim() === '') return null;
    if (res.json === undefined) throw new Error(`invalid character in response from ${res.url}`);
    return parseSecret(res.json);
  }

  /** A read or list where 404 means "nothing there" unless the body still carries data. */
  private async readLike(method: string, path: string, opts: RequestOptions): Promise<Secret | null> {
    const res = await this.raw(method, path, opts);
    if (res.status === 404) {
      if (res.text.trim() === '' || res.json === undefined) return null;
      const s = parseSecret(res.json);
      return hasContent(s) ? s : null;
    }
    if (res.status >= 400) {
      const { errors, raw } = parseErrors(res);
      throw new ResponseError(res.method, res.url, res.status, errors, raw);
    }
    return this.toSecret(res);
  }

  /** A write-like call: errors always throw, a 404 with data attaches the parsed secret to the error. */
  private async writeLike(method: string, path: string, opts: RequestOptions): Promise<Secret | null> {
    return this.secretOf(await this.raw(method, path, opts));
  }

  /**
   * The secret of a raw exchange as the Go client's rawRequest + ParseSecret see it: a status ≥ 400 throws a
   * {@link ResponseError} (a 404 that carries data attaches it), an empty body is null.
   */
  secretOf(res: RawResponse): Secret | null {
    if (res.status >= 400) {
      const { errors, raw } = parseErrors(res);
      const err = new ResponseError(res.method, res.url, res.status, errors, raw);
      if (res.status === 404 && res.json !== undefined) {
        const s = parseSecret(res.json);
        if (hasContent(s)) err.secret = s;
      }
      throw err;
    }
    return this.toSecret(res);
  }

  /**
   * A call the Go client makes with rawRequest and ParseSecret (token, lease, policy and sys calls): any status ≥ 400
   * throws, an empty body is null.
   */
  send(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<Secret | null> {
    return this.writeLike(method, path, { ...opts, ...(body !== undefined ? { body } : {}) });
  }

  /** Logical().ReadWithData: GET, query parameters from `data`. */
  read(path: string, query?: Record<string, string | string[]>, opts: RequestOptions = {}): Promise<Secret | null> {
    return this.readLike('GET', path, { ...opts, ...(query ? { query } : {}) });
  }

  /** Logical().List: `GET <path>?list=true`. */
  list(path: string): Promise<Secret | null> {
    return this.readLike('GET', path, { query: { list: 'true' } });
  }

  /** Logical().Write: PUT with a JSON body. */
  write(path: string, data: unknown): Promise<Secret | null> {
    return this.writeLike('PUT', path, { body: data ?? {} });
  }

  /** Logical().JSONMergePatch: PATCH with `application/merge-patch+json`. */
  patch(path: string, data: unknown): Promise<Secret | null> {
    return this.writeLike('PATCH', path, { body: data, contentType: 'application/merge-patch+json' });
  }

  /** Logical().DeleteWithData. */
  delete(path: string, query?: Record<string, string | string[]>): Promise<Secret | null> {
    return this.writeLike('DELETE', path, query ? { query } : {});
  }
}
