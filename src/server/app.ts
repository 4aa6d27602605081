import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from '../log/logger.js';
import { forward } from '../proxy/forward.js';
import type { ProxyRuntime } from '../proxy/runtime.js';

/** Holds the runtime in use; a reload replaces `current`, requests read it once when they start. */
export interface RuntimeHolder {
  current: ProxyRuntime;
}

const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'PATCH'];

/**
 * The viewer-facing server. Fastify routes every path and method to one handler that takes the
 * raw request over (`reply.hijack()`) and forwards it with undici's `dispatch`. Not
 * @fastify/http-proxy / reply-from: that layer normalises the path before any hook runs (drops
 * `./`, refuses `%2e%2e`, so the proxy could not give its own answer or sign the exact bytes) and
 * costs about 2.5× the CPU per request of this path (DESIGN, measured on these machines).
 */
export function buildApp(holder: RuntimeHolder, log: Logger): FastifyInstance {
  const app = Fastify({
    logger: false,
    // Fastify refuses URLs its router cannot decode before any handler runs. The proxy reads the
    // raw path itself, so hand those requests to it: it gives the precise reason (bad
    // percent-encoding, invalid UTF-8) and names the block.
    frameworkErrors(_error, request, reply) {
      reply.hijack();
      forward(holder.current, request.raw, reply.raw, log);
    },
    return503OnClosing: true,
    // Requests Node's HTTP parser refuses (raw non-ASCII bytes in the request line, bad header
    // syntax) get the proxy's own JSON answer too.
    clientErrorHandler(err, socket) {
      if (!socket.writable) return socket.destroy();
      const body = JSON.stringify({ error: 'OS_ERR_BAD_REQUEST', message: `malformed HTTP request (${(err as NodeJS.ErrnoException).code ?? 'parse error'})` });
      socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    },
    // Large keys are legal: never truncate or refuse them before the proxy's own 1024-byte check.
    routerOptions: { maxParamLength: 8192 },
  });
  // Request bodies stream to the upstream untouched: no parser reads them here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  // Methods Fastify has no route for (PROPFIND, …) get the proxy's own 404/405 as well.
  app.setNotFoundHandler((request, reply) => {
    reply.hijack();
    forward(holder.current, request.raw, reply.raw, log);
  });
  app.route({
    method: METHODS,
    url: '/*',
    handler(request, reply) {
      reply.hijack();
      forward(holder.current, request.raw, reply.raw, log);
    },
  });
  return app;
}
