// Helpers for the upload (write-path) end-to-end suites: proxy blocks that allow writes,
// streaming uploads with backpressure, raw-socket uploads that can be cut or refused mid-way, and
// a counting TCP relay. Bodies come from generated-body.ts, polling from wait-for.ts.
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TestContext } from 'node:test';
import { generatedBytes } from './generated-body.js';
import { blockFor } from './proxy-cli.js';
import { KiB } from './sizes.js';

export const WRITE_METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'POST'];
export type PayloadMode = 'unsigned' | 'sha256' | 'streaming';
export const PAYLOAD_MODES: readonly PayloadMode[] = ['unsigned', 'sha256', 'streaming'];

/** What the strict origin must see in x-amz-content-sha256 for each payload mode. */
export function expectedContentSha256(mode: PayloadMode, bodySha256Hex: string): string {
  if (mode === 'unsigned') return 'UNSIGNED-PAYLOAD';
  if (mode === 'streaming') return 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
  return bodySha256Hex;
}

/** A SigV4 header-mode S3 block on a strict origin that allows writes, with the given signing and spool settings. */
export function writeBlock(
  originPort: number,
  o: {
    path: string;
    bucket: string;
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | string;
    payload?: PayloadMode;
    methods?: string[];
    keyPrefix?: string;
    addressing?: 'virtual' | 'path';
    spool?: Record<string, unknown>;
    signing?: Record<string, unknown>;
  },
): Record<string, unknown> {
  const block = blockFor(originPort, {
    path: o.path,
    bucket: o.bucket,
    version: 'v4',
    mode: 'header',
    credentials: o.credentials,
    methods: o.methods ?? WRITE_METHODS,
    ...(o.keyPrefix ? { keyPrefix: o.keyPrefix } : {}),
    ...(o.addressing ? { addressing: o.addressing } : {}),
  });
  block.signing = { version: 'v4', mode: 'header', payload: o.payload ?? 'unsigned', ...o.signing };
  if (o.spool) block.spool = o.spool;
  return block;
}

export interface UploadResult {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * One request through node:http whose body is piped from `body` (pipeline: the source is read only
 * as fast as the socket drains). `headers` go out as given: with a content-length the body is sent
 * as is, without one node frames a PUT or POST chunked. Resolves with the response; a request error after a
 * response has arrived (the server answered early and closed) does not reject.
 */
export function streamUpload(port: number, o: { host?: string; method?: string; path: string; headers: Record<string, string | number>; body: Readable }): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request({ host: o.host ?? '127.0.0.1', port, method: o.method ?? 'PUT', path: o.path, headers: o.headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    const fail = (err: unknown): void => {
      if (!answered) setTimeout(() => (answered ? undefined : reject(err)), 200);
    };
    req.on('error', fail);
    pipeline(o.body, req).catch(fail);
  });
}

export interface RawResponse {
  /** Every status line seen, in order (e.g. [100, 413]). */
  statuses: number[];
  /** The final (non-1xx) status, 0 when none arrived. */
  status: number;
  text: string;
  /** Body bytes this client wrote (handed to the socket in one write). */
  bodyBytesWritten: number;
  /** How the connection ended: 'close' (FIN or after a complete response), or an error code. */
  ended: string;
}

/**
 * Writes `head` and `bodyBytes` of body (raw, or chunk-framed in 64 KiB chunks and finished with
 * the last chunk when `finish`) on a fresh socket in one write, and collects the response. With
 * `bodyBytes: 0` only the head is sent and the socket stays open until the server answers.
 * Tolerates the server resetting the connection after its answer.
 */
export function rawUpload(
  port: number,
  head: string,
  opts: { bodyBytes?: number; chunked?: boolean; finish?: boolean; timeoutMs?: number } = {},
): Promise<RawResponse> {
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    let written = 0;
    let done = false;
    const total = opts.bodyBytes ?? 0;
    const piece = generatedBytes(64 * KiB, 'raw-upload');
    const sock: Socket = connect(port, '127.0.0.1');
    const parse = (): { statuses: number[]; complete: boolean } => {
      const text = Buffer.concat(received).toString('latin1');
      const statuses: number[] = [];
      let complete = false;
      let at = 0;
      for (;;) {
        const m = /HTTP\/1\.1 (\d{3})[^\r\n]*\r\n/y;
        m.lastIndex = at;
        const sm = m.exec(text);
        if (!sm) break;
        const status = Number(sm[1]);
        statuses.push(status);
        const endHead = text.indexOf('\r\n\r\n', at);
        if (endHead < 0) break;
        if (status < 200) {
          at = endHead + 4;
          continue;
        }
        const cl = /\r\ncontent-length: *(\d+)/i.exec(text.slice(at, endHead));
        complete = cl ? text.length >= endHead + 4 + Number(cl[1]) : false;
        break;
      }
      return { statuses, complete };
    };
    const finish = (ended: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const text = Buffer.concat(received).toString('utf8');
      const { statuses } = parse();
      resolve({ statuses, status: statuses.find((s) => s >= 200) ?? 0, text, bodyBytesWritten: written, ended });
    };
    const timer = setTimeout(() => finish('timeout'), opts.timeoutMs ?? 15_000);
    // The whole body in one write: the kernel takes it at once (or libuv queues the rest), so no
    // write call of ours can meet a connection the server has already closed — that write would
    // fail with EPIPE and Node would drop the answer still waiting to be read.
    const body = (): Buffer => {
      const parts: Buffer[] = [];
      for (let off = 0; off < total; off += piece.length) {
        const n = Math.min(piece.length, total - off);
        const data = piece.subarray(0, n);
        parts.push(opts.chunked ? Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), data, Buffer.from('\r\n')]) : data);
      }
      if (opts.finish && opts.chunked) parts.push(Buffer.from('0\r\n\r\n'));
      written = total;
      return Buffer.concat(parts);
    };
    sock.on('connect', () => {
      sock.write(total > 0 || opts.finish ? Buffer.concat([Buffer.from(head), body()]) : head);
    });
    sock.on('data', (c: Buffer) => {
      received.push(c);
      const p = parse();
      if (p.complete) finish('complete');
    });
    sock.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? 'error'));
    sock.on('close', () => finish('close'));
  });
}

export interface Relay {
  port: number;
  /** Bytes relayed from the proxy towards the origin, over every connection. */
  upBytes(): number;
  /** How many times `pattern` appeared in the proxy→origin byte streams so far. */
  patternCount(): number;
  /** Connections accepted so far, and how many are still open. */
  accepted(): number;
  open(): number;
}

/**
 * A TCP relay in front of `targetPort` that counts the bytes going upstream and watches them for
 * `pattern` (searched across chunk boundaries, per connection).
 */
export async function watchingRelay(t: TestContext, targetPort: number, pattern: Buffer): Promise<Relay> {
  let up = 0;
  let seen = 0;
  let accepted = 0;
  const sockets = new Set<Socket>();
  const server = createServer((proxySide) => {
    accepted++;
    const originSide = connect(targetPort, '127.0.0.1');
    let tail = Buffer.alloc(0);
    for (const s of [proxySide, originSide]) {
      sockets.add(s);
      s.on('close', () => {
        sockets.delete(s);
        proxySide.destroy();
        originSide.destroy();
      });
      s.on('error', () => {
        proxySide.destroy();
        originSide.destroy();
      });
    }
    proxySide.on('data', (c: Buffer) => {
      up += c.length;
      const window = Buffer.concat([tail, c]);
      // The tail is shorter than the pattern, so every match found here is a new one.
      for (let i = window.indexOf(pattern); i >= 0; i = window.indexOf(pattern, i + 1)) seen++;
      tail = window.subarray(Math.max(0, window.length - pattern.length + 1));
    });
    proxySide.pipe(originSide);
    originSide.pipe(proxySide);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    port: (server.address() as AddressInfo).port,
    upBytes: () => up,
    patternCount: () => seen,
    accepted: () => accepted,
    open: () => Math.floor(sockets.size / 2),
  };
}

/** The `SignedHeaders=` list of a SigV4 Authorization header. */
export function signedHeadersOf(authorization: string | string[] | undefined): string[] {
  const m = /SignedHeaders=([^,\s]+)/.exec(String(authorization ?? ''));
  return m ? (m[1] as string).split(';') : [];
}

/** The credential scope (`date/region/service/aws4_request`) of a SigV4 Authorization header. */
export function credentialScopeOf(authorization: string | string[] | undefined): string | undefined {
  return /Credential=[^/]+\/([^,\s]+)/.exec(String(authorization ?? ''))?.[1];
}
