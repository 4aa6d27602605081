// The request-path property's raw HTTP: a viewer request rendered byte for byte, sent on a socket of its own, and the answer read back.
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { crc32 } from 'node:zlib';
import { awsChunkedFrames } from '../aws-chunked-frames.js';
import type { ViewerRequest } from './arbitraries.js';

function target(r: ViewerRequest): string {
  return `${r.prefix}${r.rest.join('')}${r.query === null ? '' : `?${r.query.join('&')}`}`;
}

/**
 * The request-target as the server reads it: RFC 9112 §3 lets a recipient parse the request line on
 * whitespace boundaries, and Node does, so spaces and tabs at the end of the target are the
 * separator before the version, not part of the path (`GET /rh/a.txt  HTTP/1.1` asks for `a.txt`).
 */
export const seenTarget = (r: ViewerRequest): string => target(r).replace(/[ \t]+$/, '');

/** A viewer's chunk signature: 64 hex, so the checks' needles find it wherever it lands. */
export const VIEWER_CHUNK_SIGNATURE = createHash('sha256').update('a viewer chunk signature').digest('hex');

const crc32Base64 = (data: Buffer): string => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data));
  return out.toString('base64');
};

/** The x-amz-decoded-content-length an aws-chunked body of `n` bytes declares ('short': its first chunk's, half). */
export function declaredLength(n: number, aws: NonNullable<ViewerRequest['body']['aws']>): number | undefined {
  if (aws.declared === 'absent') return undefined;
  return aws.declared === 'off' ? n + 1 : aws.declared === 'short' ? n >> 1 : n;
}

/** The body and headers of an aws-chunked upload of `data`, as an AWS SDK streams it (S3 API Reference, "transfer payload in multiple chunks"). */
function awsChunked(data: Buffer, aws: NonNullable<ViewerRequest['body']['aws']>): { headers: string; body: Buffer } {
  const half = data.subarray(0, data.length >> 1);
  const trailers = aws.trailer === 'none' ? [] : [`x-amz-checksum-crc32:${crc32Base64(aws.trailer === 'right' ? data : Buffer.concat([data, Buffer.from('x')]))}`];
  const body = awsChunkedFrames([half, data.subarray(half.length)], { ...(aws.signed ? { signatureOf: () => VIEWER_CHUNK_SIGNATURE } : {}), trailers });
  let headers = 'Content-Encoding: aws-chunked\r\n';
  headers += `x-amz-content-sha256: ${aws.signed ? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' : 'STREAMING-UNSIGNED-PAYLOAD'}${aws.trailer === 'none' ? '' : '-TRAILER'}\r\n`;
  if (aws.trailer !== 'none') headers += 'x-amz-trailer: x-amz-checksum-crc32\r\n';
  const declared = declaredLength(data.length, aws);
  if (declared !== undefined) headers += `x-amz-decoded-content-length: ${declared}\r\n`;
  return { headers, body };
}

/** The request, byte for byte (latin-1), with `Connection: close` so the answer ends the exchange. */
export function render(r: ViewerRequest, port: number): Buffer {
  let head = `${r.method} ${target(r)} HTTP/1.1\r\nHost: ${r.host ?? `127.0.0.1:${port}`}\r\n`;
  for (const h of r.headers) head += `${h.name}: ${h.value}\r\n`;
  let body: Buffer = Buffer.from(r.body.bytes);
  if (r.body.aws) {
    const framed = awsChunked(body, r.body.aws);
    head += framed.headers;
    body = framed.body;
  }
  let payload: Buffer = Buffer.alloc(0);
  if (r.body.framing === 'length' || r.body.framing === 'length+chunked') head += `Content-Length: ${body.length}\r\n`;
  if (r.body.framing === 'chunked' || r.body.framing === 'length+chunked') {
    head += `Transfer-Encoding: ${r.body.te}\r\n`;
    const half = body.subarray(0, body.length >> 1);
    const chunks = [half, body.subarray(half.length)].filter((c) => c.length > 0);
    payload = Buffer.concat([...chunks.flatMap((c) => [Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')]), Buffer.from('0\r\n\r\n')]);
  } else if (r.body.framing === 'length') {
    payload = body;
  }
  head += 'Connection: close\r\n\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
}

export interface ViewerResponse {
  /** Final status; 0 when none arrived. */
  readonly status: number;
  /** Everything received, as latin-1 (one character per byte). */
  readonly raw: string;
  /** Status lines and headers of every response received (1xx included), as latin-1. */
  readonly head: string;
  /** The final response's body, de-chunked, as latin-1. */
  readonly body: string;
  readonly ended: 'complete' | 'close' | 'error' | 'timeout';
}

/** How long a paced body waits between its halves: long enough for the first to be on its way to the store. */
const PAUSE_MS = 10;

/**
 * Where an upload is paused, PAUSE_MS each time: after its head, then half way through its body.
 * An aws-chunked one is then on its way to the store, reading the decoder, before its first half
 * comes, and that half is decoded and passed on before the rest is seen. None: one write.
 */
export function pausePoints(r: ViewerRequest, rendered: Buffer): number[] {
  if (!r.body.aws || (r.method !== 'PUT' && r.method !== 'POST')) return [];
  const headEnd = rendered.indexOf('\r\n\r\n') + 4;
  return [headEnd, headEnd + ((rendered.length - headEnd) >> 1)];
}

/**
 * Writes the request on a fresh socket in one write (or more, see pausePoints) and reads the answer; resolves once a complete
 * final response is in (Content-Length or last chunk; no body for HEAD, 1xx skipped) or the
 * server closed. A reset after the answer is no error: the answer is what counts.
 */
export function exchange(port: number, bytes: Buffer, head: boolean, timeoutMs = 15_000, pauses: readonly number[] = []): Promise<ViewerResponse> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let done = false;
    const sock = connect(port, '127.0.0.1');
    const finish = (ended: ViewerResponse['ended']): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const raw = Buffer.concat(chunks).toString('latin1');
      const p = parseResponse(raw, head);
      resolve({ status: p.status, raw, head: raw.slice(0, p.headEnd), body: p.body, ended: p.complete ? 'complete' : ended });
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    sock.on('connect', () => {
      const cuts = [0, ...pauses, bytes.length];
      cuts.slice(1).forEach((end, i) => setTimeout(() => sock.writable && sock.write(bytes.subarray(cuts[i], end)), i * PAUSE_MS));
    });
    sock.on('data', (c: Buffer) => {
      chunks.push(c);
      if (parseResponse(Buffer.concat(chunks).toString('latin1'), head).complete) finish('complete');
    });
    sock.on('error', () => finish('error'));
    sock.on('close', () => finish('close'));
  });
}

/** The final response in `raw`: status, where its head ends, its body (de-chunked), whether it is all there. */
function parseResponse(raw: string, head: boolean): { status: number; headEnd: number; body: string; complete: boolean } {
  let at = 0;
  for (;;) {
    const end = raw.indexOf('\r\n\r\n', at);
    if (end < 0) return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(raw.slice(at))?.[1] ?? 0), headEnd: raw.length, body: '', complete: false };
    const headText = raw.slice(at, end);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(headText)?.[1] ?? 0);
    if (status >= 100 && status < 200) {
      at = end + 4;
      continue;
    }
    const rest = raw.slice(end + 4);
    if (head || status === 204 || status === 304) return { status, headEnd: end, body: '', complete: true };
    if (/\r\ntransfer-encoding:[^\r\n]*chunked/i.test(headText)) {
      let body = '';
      let i = 0;
      for (;;) {
        const eol = rest.indexOf('\r\n', i);
        if (eol < 0) return { status, headEnd: end, body, complete: false };
        const size = parseInt(rest.slice(i, eol), 16);
        if (Number.isNaN(size)) return { status, headEnd: end, body, complete: false };
        if (size === 0) return { status, headEnd: end, body, complete: rest.indexOf('\r\n\r\n', eol) >= 0 };
        body += rest.slice(eol + 2, eol + 2 + size);
        i = eol + 2 + size + 2;
        if (i > rest.length) return { status, headEnd: end, body, complete: false };
      }
    }
    const cl = /\r\ncontent-length: *(\d+)/i.exec(headText);
    if (cl) return { status, headEnd: end, body: rest.slice(0, Number(cl[1])), complete: rest.length >= Number(cl[1]) };
    return { status, headEnd: end, body: rest, complete: false };
  }
}
