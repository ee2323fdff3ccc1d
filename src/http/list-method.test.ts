import { describe, expect, it } from 'vitest';
import { RequestHeadRewriter } from './list-method.js';

const feedAll = (chunks: string[]): string => {
  const r = new RequestHeadRewriter();
  return chunks.map((c) => r.feed(Buffer.from(c, 'latin1')).toString('latin1')).join('');
};

describe('RequestHeadRewriter', () => {
  it('rewrites LIST request lines and leaves other methods alone', () => {
    expect(feedAll(['LIST /v1/secret/metadata/ HTTP/1.1\r\nHost: x\r\n\r\n'])).toBe('PROPFIND /v1/secret/metadata/ HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(feedAll(['GET /v1/LIST HTTP/1.1\r\nHost: x\r\n\r\n'])).toBe('GET /v1/LIST HTTP/1.1\r\nHost: x\r\n\r\n');
  });

  it('does not mistake a body that starts with "LIST " for a request line', () => {
    const body = 'LIST abc';
    const req = `POST /v1/x HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    expect(feedAll([req, 'LIST /v1/y HTTP/1.1\r\n\r\n'])).toBe(`${req}PROPFIND /v1/y HTTP/1.1\r\n\r\n`);
  });

  it('follows pipelined requests in one chunk, and heads split across chunks', () => {
    const two = 'GET /a HTTP/1.1\r\n\r\nLIST /b HTTP/1.1\r\n\r\n';
    expect(feedAll([two])).toBe('GET /a HTTP/1.1\r\n\r\nPROPFIND /b HTTP/1.1\r\n\r\n');
    expect(feedAll(['LI', 'ST /c HTTP/1.1\r\nHo', 'st: x\r\n\r\n'])).toBe('PROPFIND /c HTTP/1.1\r\nHost: x\r\n\r\n');
  });

  it('skips chunked bodies, including chunk data that looks like a request', () => {
    const chunked = 'POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n8\r\nLIST /zz\r\n0\r\n\r\n';
    expect(feedAll([chunked, 'LIST /d HTTP/1.1\r\n\r\n'])).toBe(`${chunked}PROPFIND /d HTTP/1.1\r\n\r\n`);
    // Split inside the size line and inside the data.
    expect(feedAll(['POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n', '8', '\r\nLIST', ' /zz\r\n0\r\n', '\r\nLIST /e HTTP/1.1\r\n\r\n'])).toBe(
      'POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n8\r\nLIST /zz\r\n0\r\n\r\nPROPFIND /e HTTP/1.1\r\n\r\n',
    );
  });

  it('finds the framing headers whatever their case', () => {
    const body = 'LIST abc';
    const req = `POST /v1/x HTTP/1.1\r\ncontent-LENGTH: ${body.length}\r\n\r\n${body}`;
    expect(feedAll([req, 'LIST /v1/y HTTP/1.1\r\n\r\n'])).toBe(`${req}PROPFIND /v1/y HTTP/1.1\r\n\r\n`);
    const chunked = 'POST /x HTTP/1.1\r\ntransfer-encoding: Chunked\r\n\r\n8\r\nLIST /zz\r\n0\r\n\r\n';
    expect(feedAll([chunked, 'LIST /d HTTP/1.1\r\n\r\n'])).toBe(`${chunked}PROPFIND /d HTTP/1.1\r\n\r\n`);
  });

  it('passes an upgraded connection through untouched', () => {
    expect(feedAll(['GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n', 'LIST raw bytes'])).toBe('GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\nLIST raw bytes');
  });
});
