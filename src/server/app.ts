import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { forward, type Observability } from '../proxy/forward.js';
import type { ProxyRuntime } from '../proxy/runtime.js';

/** Holds the runtime in use; a reload replaces `current`, requests read it once when they start. */
export interface RuntimeHolder {
  current: ProxyRuntime;
}

const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'PATCH'];

/**
 * Answer for a request Node's HTTP parser refused (raw non-ASCII bytes in the request line, bad
 * header syntax). If a response to an earlier request on the same connection is still being
 * written, writing anything now would interleave with it: let it finish, then close.
 */
function answerParseError(err: NodeJS.ErrnoException, socket: Socket): void {
  // A connection that broke (the viewer went away mid-request) has nobody to answer: close it
  // now, so the request it carried is aborted.
  if (!socket.writable || err.code === 'ECONNRESET' || !err.code?.startsWith('HPE_')) return void socket.destroy();
  const pending = (socket as Socket & { _httpMessage?: (ServerResponse & { req?: { complete?: boolean } }) | null })._httpMessage;
  if (pending && !pending.writableEnded) {
    // Garbage after a complete request (pipelining): answer that request first, then close.
    // An error inside the current request's own body (it ended early) aborts that request now.
    if (pending.req?.complete) pending.once('close', () => socket.destroy());
    else socket.destroy();
    return;
  }
  const requestId = randomUUID();
  const body = JSON.stringify({ error: 'OS_ERR_BAD_REQUEST', message: `malformed HTTP request (${err.code ?? 'parse error'})`, requestId });
  socket.end(
    `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\ncache-control: no-store\r\nx-request-id: ${requestId}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * The viewer-facing server. Fastify routes every path and method to one handler that takes the
 * raw request over (`reply.hijack()`) and forwards it with undici's `dispatch`. Not
 * @fastify/http-proxy / reply-from: that layer normalises the path before any hook runs (drops
 * `./`, refuses `%2e%2e`, so the proxy could not give its own answer or sign the exact bytes) and
 * costs about 2.5× the CPU per request of this path (DESIGN, measured on these machines).
 */
export function buildApp(holder: RuntimeHolder, obs: Observability): FastifyInstance {
  const takeOver = (request: FastifyRequest, reply: FastifyReply): void => {
    reply.hijack();
    forward(holder.current, request.raw, reply.raw, obs);
  };
  const app = Fastify({
    logger: false,
    // Fastify refuses URLs its router cannot decode before any handler runs. The proxy reads the
    // raw path itself, so hand those requests to it: it gives the precise reason (bad
    // percent-encoding, invalid UTF-8) and names the block.
    frameworkErrors: (_error, request, reply) => takeOver(request, reply),
    return503OnClosing: true,
    clientErrorHandler: answerParseError,
    // Large keys are legal: never truncate or refuse them before the proxy's own 1024-byte check.
    routerOptions: { maxParamLength: 8192 },
    // Node's default 16 KiB is below one 64 KiB upstream read: every chunk would report
    // backpressure and pause the upstream until the viewer's socket drained. 256 KiB lets a few
    // chunks be in flight per connection while memory stays bounded by it.
    http: { highWaterMark: 256 * 1024 },
  });
  // Request bodies stream to the upstream untouched: no parser reads them here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  // Methods Fastify has no route for (PROPFIND, …) get the proxy's own 404/405, and so do requests
  // Fastify itself refuses before the handler (a QUERY without Content-Type, RFC 10008 §2): the
  // proxy's checks run first and answer in its own format.
  app.setNotFoundHandler(takeOver);
  app.setErrorHandler((_error, request, reply) => takeOver(request, reply));
  app.route({ method: METHODS, url: '/*', handler: takeOver });
  // With a checkContinue listener Node no longer answers "100 Continue" on its own; the request
  // goes through the normal path and forward() sends it when it is about to read the body.
  app.server.on('checkContinue', (req, res) => app.server.emit('request', req, res));
  return app;
}
