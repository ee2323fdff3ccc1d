import type { Socket } from 'node:net';

/**
 * Vault clients send the non-standard HTTP method `LIST`, which Node's HTTP parser (llhttp) rejects outright. This
 * wrapper sits between the socket and Node's HTTP server and rewrites the method of each request line from `LIST` to
 * `PROPFIND` (same framing, a method llhttp accepts and no Vault client uses), so `http/` can map it back. It follows
 * HTTP/1.1 framing (Content-Length, chunked, upgrade) to find where each request line starts.
 */
export const LIST_STAND_IN = 'PROPFIND';

const MAX_HEAD = 64 * 1024;
const CRLF2 = Buffer.from('\r\n\r\n');
const LIST_PREFIX = Buffer.from('LIST ');
const STAND_IN = Buffer.from(`${LIST_STAND_IN} `);
const EMPTY = Buffer.alloc(0);
const FRAMING_NAMES = /content-length|transfer-encoding|upgrade/i;

type State =
  | { kind: 'head' }
  | { kind: 'body'; remaining: number }
  | { kind: 'chunk-size' }
  | { kind: 'chunk-data'; remaining: number }
  | { kind: 'trailers' }
  | { kind: 'passthrough' };

/** Rewrites request heads in a byte stream; exported for tests. */
export class RequestHeadRewriter {
  private state: State = { kind: 'head' };
  private pending: Buffer = EMPTY;

  /** Feeds bytes from the client; returns the bytes to hand to the HTTP parser. */
  feed(chunk: Buffer): Buffer {
    if (this.state.kind === 'passthrough') return chunk;
    const buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = EMPTY;
    const out: Buffer[] = [];
    let pos = 0;
    while (pos < buf.length) {
      const s = this.state;
      if (s.kind === 'passthrough') {
        out.push(buf.subarray(pos));
        pos = buf.length;
      } else if (s.kind === 'head' && !isTokenStart(buf[pos] as number)) {
        // Not an HTTP request line (e.g. a TLS handshake sent to a plain listener): let Node's parser reject it now
        // instead of waiting for a header block that will never come.
        this.state = { kind: 'passthrough' };
      } else if (s.kind === 'head') {
        // Tolerate the blank lines HTTP allows between messages.
        while (pos + 1 < buf.length && buf[pos] === 13 && buf[pos + 1] === 10) {
          out.push(buf.subarray(pos, pos + 2));
          pos += 2;
        }
        const end = buf.indexOf(CRLF2, pos);
        if (end < 0) {
          if (buf.length - pos > MAX_HEAD) this.state = { kind: 'passthrough' };
          else {
            this.pending = Buffer.from(buf.subarray(pos));
            pos = buf.length;
          }
          continue;
        }
        const head = buf.subarray(pos, end + 4);
        pos = end + 4;
        if (head.subarray(0, LIST_PREFIX.length).equals(LIST_PREFIX)) {
          out.push(STAND_IN, head.subarray(LIST_PREFIX.length));
        } else out.push(head);
        this.state = nextAfterHead(head.toString('latin1'));
      } else if (s.kind === 'body' || s.kind === 'chunk-data') {
        const take = Math.min(s.remaining, buf.length - pos);
        out.push(buf.subarray(pos, pos + take));
        pos += take;
        s.remaining -= take;
        if (s.remaining === 0) this.state = s.kind === 'body' ? { kind: 'head' } : { kind: 'chunk-size' };
      } else {
        // chunk-size and trailers are line-based: wait for a whole line.
        const eol = buf.indexOf('\r\n', pos);
        if (eol < 0) {
          if (buf.length - pos > MAX_HEAD) this.state = { kind: 'passthrough' };
          else {
            this.pending = Buffer.from(buf.subarray(pos));
            pos = buf.length;
          }
          continue;
        }
        const line = buf.subarray(pos, eol).toString('latin1');
        out.push(buf.subarray(pos, eol + 2));
        pos = eol + 2;
        if (s.kind === 'trailers') {
          if (line === '') this.state = { kind: 'head' };
        } else if (line === '') {
          // The CRLF that ends a chunk's data.
        } else {
          const size = Number.parseInt(line.split(';')[0]?.trim() ?? '', 16);
          if (!Number.isFinite(size) || size < 0) this.state = { kind: 'passthrough' };
          else if (size === 0) this.state = { kind: 'trailers' };
          else this.state = { kind: 'chunk-data', remaining: size };
        }
      }
    }
    return out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out);
  }
}

/** A request line starts with a method token (or the CR LF HTTP allows between messages). */
function isTokenStart(byte: number): boolean {
  return (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte === 13 || byte === 10;
}

function nextAfterHead(head: string): State {
  // Fast path for the common head (a GET): none of the framing headers' names anywhere in it, so the next bytes are
  // the next head (the full parse below could not find one either).
  if (!FRAMING_NAMES.test(head) && !head.startsWith('CONNECT ')) return { kind: 'head' };
  const lines = head.split('\r\n');
  let length = 0;
  let chunked = false;
  let upgrade = false;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim().toLowerCase();
    if (name === 'content-length') length = Number.parseInt(value, 10) || 0;
    else if (name === 'transfer-encoding' && value.split(',').map((v) => v.trim()).includes('chunked')) chunked = true;
    else if (name === 'upgrade') upgrade = true;
  }
  if (upgrade || lines[0]?.startsWith('CONNECT ')) return { kind: 'passthrough' };
  if (chunked) return { kind: 'chunk-size' };
  if (length > 0) return { kind: 'body', remaining: length };
  return { kind: 'head' };
}

/**
 * Makes `socket` deliver rewritten bytes to Node's HTTP server. Node normally feeds its parser straight from the
 * socket's native handle, where JavaScript never sees the bytes; marking the handle as consumed makes the server read
 * through `socket.push` ('data' events) instead, and the instance's `push` rewrites each chunk on its way. Writes go
 * to the socket untouched, so corking, `setNoDelay` and TLS all behave as usual.
 */
export function rewriteListMethod<S extends Socket>(socket: S): S {
  const rewriter = new RequestHeadRewriter();
  const handle = (socket as unknown as { _handle?: { _consumed?: boolean } | null })._handle;
  if (handle) handle._consumed = true;
  const push = socket.push.bind(socket);
  socket.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (chunk === null || chunk === undefined) return push(chunk);
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, encoding);
    return push(rewriter.feed(bytes));
  };
  return socket;
}
