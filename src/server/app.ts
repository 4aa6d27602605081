import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ErrorCode } from '../errors.js';
import { sendError } from '../proxy/error-response.js';
import { forward, requestIdOf, type Observability } from '../proxy/forward.js';
import type { ProxyRuntime } from '../proxy/runtime.js';
import { reportSelfAnswered } from './self-answered.js';
import { WITHOUT_SCHEMA_COMPILERS } from './fastify-options.js';

/** Holds the runtime in use; a reload replaces `current`, requests read it once when they start. */
export interface RuntimeHolder {
  current: ProxyRuntime;
}

/**
 * The latest request's response on each connection, set when the request arrives: what
 * answerClientError must not write across. Node keeps the same thing in the socket's private
 * `_httpMessage`; this map is ours.
 */
const latestResponse = new WeakMap<Socket, ServerResponse>();
/** Queued (pipelined) requests whose rest the parser could not read: answered 400 in their turn, never served. */
const unreadable = new WeakSet<ServerResponse>();

/** Writes a whole JSON error answer on the raw connection and closes it (there is no response object to use). */
function answerRaw(socket: Socket, status: number, code: ErrorCode, message: string, then: () => void = () => undefined): void {
  const requestId = randomUUID();
  const body = JSON.stringify({ error: code, message, requestId });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\ncache-control: no-store\r\nx-request-id: ${requestId}\r\nconnection: close\r\n\r\n${body}`,
    then,
  );
}

/**
 * Answer for a request Node's HTTP server refused: one its parser could not read (raw non-ASCII
 * bytes in the request line, bad header syntax) → 400, or one whose request line and headers did
 * not all arrive within `server.headersTimeout` (slowloris; ERR_HTTP_REQUEST_TIMEOUT) → 408. If a
 * response to an earlier request on the same connection is still being written, writing anything
 * now would interleave with it: let it finish, then close.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket, headersTimeoutMs: number): void {
  const timedOut = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  // A connection that broke (the viewer went away mid-request) has nobody to answer: close it
  // now, so the request it carried is aborted.
  if (!socket.writable || err.code === 'ECONNRESET' || !(timedOut || err.code?.startsWith('HPE_'))) return void socket.destroy();
  const pending = latestResponse.get(socket);
  // A request whose body the parser could not read, pipelined behind an answer still going out:
  // answered in its turn (RFC 9112 §9.3.2), in place of being served (serve() skips it), then the
  // connection closes. A complete one is served in its turn (below).
  if (pending && pending.socket === null && !pending.req.complete) {
    unreadable.add(pending);
    pending.once('socket', () => answerRaw(socket, 400, 'OS_ERR_BAD_REQUEST', `malformed request (${err.code ?? 'parse error'})`, () => socket.destroy()));
    return;
  }
  // Not yet finished: bytes of it (or, pipelined, of one queued before it) are still to go out.
  if (pending && !pending.writableFinished) {
    // Garbage after a complete request (pipelining): answer that request first, then close.
    if (pending.req.complete) pending.once('close', () => socket.destroy());
    // A body the parser cannot read (a chunk size that is no hex number, RFC 9112 §7.1) before any
    // answer began: say so and close, as Node's own handler does; the request is aborted with the
    // connection, so nothing is stored. A viewer that closed mid-body (HPE_INVALID_EOF_STATE) has left.
    else if (!pending.headersSent && err.code !== 'HPE_INVALID_EOF_STATE') answerRaw(socket, 400, 'OS_ERR_BAD_REQUEST', `malformed request body (${err.code ?? 'parse error'})`, () => socket.destroy());
    // An answer already under way (a refusal given on the headers alone, 501 to `Transfer-Encoding:
    // gzip`): what was written goes out first — destroy() would drop it — then the connection closes.
    else if (pending.headersSent && err.code !== 'HPE_INVALID_EOF_STATE') socket.end(() => socket.destroy());
    else socket.destroy();
    return;
  }
  if (timedOut) {
    // Closed once the answer is out, not left half-open: the parser would go on reading a
    // slowloris's bytes, and one that never closes would keep the descriptor.
    answerRaw(socket, 408, 'OS_ERR_REQUEST_TIMEOUT', `the request line and headers did not arrive within ${headersTimeoutMs / 1000} s (server.headersTimeout)`, () => socket.destroy());
    return;
  }
  answerRaw(socket, 400, 'OS_ERR_BAD_REQUEST', `malformed HTTP request (${err.code ?? 'parse error'})`);
}

/**
 * How often Node checks for connections past `headersTimeout` (its default is every 30 s, on top
 * of the timeout): a quarter of it, at most every second, so the cut comes within a second of it.
 * The check walks only connections whose request is in progress.
 */
export const connectionsCheckingIntervalFor = (headersTimeoutMs: number): number => Math.min(1000, Math.max(50, Math.round(headersTimeoutMs / 4)));

/** What the viewer-facing server takes from `server:` in the config. */
export interface ServerSettings {
  /** Seconds (server.headersTimeout). */
  readonly headersTimeout: number;
}

/**
 * The viewer-facing server. Fastify owns its life cycle — listen, graceful close (idle keep-alive
 * connections closed at once, in-flight requests finished), the `clientError` answer — while every
 * request goes straight from node:http to forward(), which forwards it with undici's `dispatch`:
 * the proxy serves one route, so Fastify's router, request/reply objects and hijack would be
 * per-request work for nothing (bench/NOTES.md, "What was tried"). `serverFactory` is
 * Fastify's documented way to bring the HTTP server. Not @fastify/http-proxy / reply-from either:
 * that layer normalises the path before any hook runs (drops `./`, refuses `%2e%2e`, so the proxy
 * could not give its own answer or sign the exact bytes) and costs about 2.5× the CPU per request.
 */
export function buildApp(holder: RuntimeHolder, obs: Observability, settings: ServerSettings): FastifyInstance {
  let closing = false;
  const headersTimeoutMs = Math.round(settings.headersTimeout * 1000);
  let server: Server | undefined;
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    latestResponse.set(req.socket, res);
    // Pipelined (RFC 9112 §9.3.2): Node queues this answer until the ones ahead of it are written,
    // and a connection that closes meanwhile destroys the request without ever closing its
    // response. Forwarded now, it would hold an upstream connection for good (nothing cancels it)
    // and one viewer could fill the pool: it is served in its turn, one at a time per connection.
    if (res.socket === null) {
      res.once('socket', () => serve(req, res));
      return;
    }
    serve(req, res);
  };
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    // Its connection went away while it waited its turn (nobody to answer), or its body could not
    // be read (answerClientError answers it).
    if (req.destroyed || unreadable.has(res)) return;
    // A request line without a version is HTTP/0.9, whose answer is the bare body with no status
    // or headers: nothing in front of us (CDN, load balancer) speaks it, so refuse and close.
    if (req.httpVersionMajor < 1) {
      const requestId = requestIdOf(req);
      reportSelfAnswered(obs, req, res, requestId, 'OS_ERR_BAD_REQUEST');
      sendError(res, 'OS_ERR_BAD_REQUEST', 'HTTP/0.9 requests (no HTTP version in the request line) are not served', { requestId }, { connection: 'close' });
      return;
    }
    // As Fastify's return503OnClosing: a request that arrives on a kept-alive connection once the
    // shutdown began is told to go elsewhere, and the connection is closed after the answer.
    if (closing) {
      const requestId = requestIdOf(req);
      reportSelfAnswered(obs, req, res, requestId, 'OS_ERR_SHUTTING_DOWN');
      sendError(res, 'OS_ERR_SHUTTING_DOWN', 'the proxy is shutting down; retry on a new connection', { requestId, head: req.method === 'HEAD' }, { connection: 'close' });
      return;
    }
    forward(holder.current, req, res, obs);
  };
  const app = Fastify({
    logger: false,
    ...WITHOUT_SCHEMA_COMPILERS,
    serverFactory: () => {
      // Node's default 16 KiB is below one 64 KiB upstream read: every chunk would report
      // backpressure and pause the upstream until the viewer's socket drained. 256 KiB lets a few
      // chunks be in flight per connection while memory stays bounded by it.
      server = createServer(
        {
          highWaterMark: 256 * 1024,
          // Fastify's defaults, which it applies only to servers it creates: keep-alive longer
          // than the 60 s idle timeout of CDNs and load balancers, so they — not we — close idle
          // connections (no request lost to a close race); no whole-request timeout for long uploads.
          keepAliveTimeout: 72_000,
          requestTimeout: 0,
          // Slowloris: the request line and headers must all arrive within this (counted from the
          // connection's start, or a kept-alive request's first byte; a slow body is not cut), else 408.
          headersTimeout: headersTimeoutMs,
          connectionsCheckingInterval: connectionsCheckingIntervalFor(headersTimeoutMs),
        },
        onRequest,
      );
      // A viewer may half-close (FIN) once its request is sent and still read the answer: ffmpeg
      // does after its last chunk. With this on, Node ends the connection after the response in
      // flight instead of at the FIN; a FIN before the request is complete is still a parse error
      // (HPE_INVALID_EOF_STATE, answerClientError aborts it). Undocumented (nor in @types/node):
      // nodejs/node lib/_http_server.js, Server() sets it false and socketOnEnd() reads it.
      (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
      // With a checkContinue listener Node no longer answers "100 Continue" on its own; the
      // request goes through the normal path and forward() sends it when it is about to read the body.
      server.on('checkContinue', onRequest);
      // Without a listener Node closes a CONNECT's connection with no answer. A proxy for buckets
      // tunnels nothing: 405, then close — but behind an answer still going out, just close, as Node
      // would: it hands a CONNECT's socket over without the listeners that drain that answer.
      server.on('connect', (_req: IncomingMessage, socket: Socket) => {
        const pending = latestResponse.get(socket);
        if (pending && !pending.writableFinished) socket.destroy();
        else answerRaw(socket, 405, 'OS_ERR_METHOD_NOT_ALLOWED', 'CONNECT is not served: this is no forward proxy', () => socket.destroy());
      });
      return server;
    },
    // server.headersTimeout as it is now (a reload may have changed it).
    clientErrorHandler: (err, socket) => answerClientError(err, socket, server?.headersTimeout ?? headersTimeoutMs),
  });
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  return app;
}
