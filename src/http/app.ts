import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Core } from '../core/core.js';
import type { Logger } from '../framework/logger.js';
import { WardError, isWardError } from '../lib/errors.js';
import { type Rendered, renderError, renderResponse } from './envelope.js';
import { LIST_STAND_IN } from './list-method.js';
import { parseWrapTTL, toLogicalRequest } from './to-request.js';

/** Spec §1.3: request bodies up to 32 MiB; larger → 413. */
export const BODY_LIMIT = 32 * 1024 * 1024;

export interface HttpApp {
  fastify: FastifyInstance;
  /** Node's HTTP server behind Fastify; listeners feed it connections (see listeners.ts). */
  server: Server;
}

/**
 * The HTTP face of Ward: one catch-all route under `/v1/` that turns HTTP into core requests and renders Vault's
 * envelope. Nothing outside this folder knows about HTTP.
 */
export async function buildHttpApp(core: Core, logger: Logger): Promise<HttpApp> {
  let server: Server | undefined;
  const fastify = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
      server = createServer({ keepAliveTimeout: 65_000 }, handler);
      return server;
    },
    // Clients (hvac, Go) may send `//` and trailing slashes; routing is ours, not Fastify's.
    routerOptions: { ignoreDuplicateSlashes: false, ignoreTrailingSlash: false, maxParamLength: 4096 },
  });
  fastify.addHttpMethod(LIST_STAND_IN, { hasBody: true });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));

  const send = (reply: FastifyReply, r: Rendered, requestId: string, head = false) => {
    // Written straight to Node's response (Fastify's hijack): the envelope is already serialised, and this keeps
    // Fastify from appending `; charset=utf-8` to the type (hvac needs exactly application/json).
    reply.hijack();
    const headers: Record<string, string | number> = { 'Cache-Control': 'no-store', 'X-Ward-Request-Id': requestId };
    const body = r.body;
    if (r.contentType) headers['Content-Type'] = r.contentType;
    // A string body is handed to Node as is (utf-8): Node joins it to the head, so no Buffer copy of it is made.
    if (body !== undefined) headers['Content-Length'] = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
    reply.raw.writeHead(r.status, headers);
    if (head || body === undefined) reply.raw.end();
    else reply.raw.end(body, 'utf8');
  };

  fastify.setErrorHandler((err: Error & { statusCode?: number; code?: string }, request, reply) => {
    const id = (request as { wardRequestId?: string }).wardRequestId ?? randomUUID();
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
      return send(reply, renderError(new WardError('payload_too_large', `http: request body too large (limit ${BODY_LIMIT} bytes)`)), id);
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return send(reply, renderError(new WardError('invalid_request', 'malformed request')), id);
    }
    logger.error({ request_id: id, err: err.message }, 'unhandled error');
    return send(reply, renderError(new WardError('internal', 'internal error')), id);
  });
  fastify.setNotFoundHandler((_request, reply) => send(reply, { status: 404, contentType: 'application/json', body: '{"errors":[]}' }, randomUUID()));

  fastify.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', LIST_STAND_IN, 'OPTIONS'],
    url: '/v1/*',
    exposeHeadRoute: false,
    handler: async (request, reply) => {
      const id = randomUUID();
      (request as { wardRequestId?: string }).wardRequestId = id;
      let head = false;
      try {
        const parsed = toLogicalRequest({
          method: request.raw.method ?? 'GET',
          url: request.url.slice('/v1/'.length),
          headers: request.headers,
          body: Buffer.isBuffer(request.body) ? request.body : undefined,
        });
        head = parsed.head;
        const wrapTTL = parseWrapTTL(request.headers['x-vault-wrap-ttl']);
        const resp = await core.handle({
          id,
          operation: parsed.operation,
          path: parsed.path,
          data: parsed.data,
          token: parsed.token,
          remoteAddress: request.socket.remoteAddress ?? '',
          ...(wrapTTL > 0 ? { wrapTTL } : {}),
        });
        return send(reply, renderResponse(id, parsed.path, parsed.operation, resp), id, head);
      } catch (err) {
        if (isWardError(err)) return send(reply, renderError(err), id, head);
        logger.error({ request_id: id, err: err instanceof Error ? err.message : String(err) }, 'request failed');
        return send(reply, renderError(new WardError('internal', 'internal error')), id, head);
      }
    },
  });
  await fastify.ready();
  if (!server) throw new Error('fastify did not build its server');
  return { fastify, server };
}
