// The cache bench's viewers (bench/cache-bench.ts runs it pinned to core 1): `count` GETs of one
// URL sent at once, each on its own connection, each body compared byte for byte, as it streams,
// with the object itself (the origin's file; with a suffix range, its last bytes). Prints one JSON
// line: how many viewers got the whole, identical body, their statuses and X-Cache values, and when
// the first byte and the last body arrived (ms after the requests were sent).
//
// Plain sockets reading into one 1 MiB buffer each (net's `onread`) and a minimal HTTP/1.1
// response reader (Content-Length, chunked, or to the close): 200 bodies of 100 MiB are 21 GB,
// and node:http's client reads them about 2.5× slower than this on the bench machine — the
// viewers, not the proxy, would set the time.
// Usage: node dist/bench/cache-viewers.js <url> <count> <object file> [suffix bytes]
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';

const [url, countArg, file, suffixArg] = process.argv.slice(2);
const target = new URL(url!);
const count = Number(countArg);
const suffix = suffixArg ? Number(suffixArg) : undefined;

function expectedBody(): Buffer {
  if (suffix === undefined) return readFileSync(file!);
  const fd = openSync(file!, 'r');
  const size = fstatSync(fd).size;
  const out = Buffer.alloc(Math.min(suffix, size));
  readSync(fd, out, 0, out.length, size - out.length);
  closeSync(fd);
  return out;
}
const expected = expectedBody();
const request = Buffer.from(
  `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nUser-Agent: cache-viewers\r\nConnection: close\r\n${suffix === undefined ? '' : `Range: bytes=-${suffix}\r\n`}\r\n`,
);

interface View {
  status: number;
  xCache: string;
  identical: boolean;
  firstByteMs: number;
  doneMs: number;
  error?: string;
}

function view(t0: number): Promise<View> {
  return new Promise((resolve) => {
    const v: View = { status: 0, xCache: '-', identical: false, firstByteMs: NaN, doneMs: NaN };
    let head: Buffer | undefined = Buffer.alloc(0); // until the end of the headers
    let length = -1; // Content-Length; -1: to the close
    let chunked = false;
    let chunkLeft = 0; // chunked: body bytes left in this chunk; -1 reading a size line, -2 its CRLF
    let sizeLine = '';
    let at = 0;
    let same = true;
    let done = false;
    const body = (b: Buffer): void => {
      if (b.length === 0) return;
      if (at === 0) v.firstByteMs = performance.now() - t0;
      same &&= at + b.length <= expected.length && b.equals(expected.subarray(at, at + b.length));
      at += b.length;
    };
    const finish = (error?: string): void => {
      if (done) return;
      done = true;
      v.doneMs = performance.now() - t0;
      v.identical = same && at === expected.length;
      if (error) v.error = error;
      socket.destroy();
      resolve(v);
    };
    // Chunked framing: sizes in hex, CRLF after each chunk, a 0 chunk at the end (no trailers sent by these servers).
    const unchunk = (b: Buffer): void => {
      let i = 0;
      while (i < b.length && !done) {
        if (chunkLeft > 0) {
          const n = Math.min(chunkLeft, b.length - i);
          body(b.subarray(i, i + n));
          i += n;
          chunkLeft -= n;
          if (chunkLeft === 0) chunkLeft = -2;
        } else if (chunkLeft === -2) {
          i++; // CR or LF after the chunk's data
          if (b[i - 1] === 0x0a) chunkLeft = -1;
        } else {
          const nl = b.indexOf(0x0a, i);
          sizeLine += b.toString('latin1', i, nl < 0 ? b.length : nl);
          if (nl < 0) return;
          i = nl + 1;
          const size = parseInt(sizeLine, 16);
          sizeLine = '';
          if (size === 0) return finish();
          chunkLeft = size;
        }
      }
    };
    const onBody = (b: Buffer): void => {
      if (chunked) return unchunk(b);
      body(length >= 0 ? b.subarray(0, Math.max(0, length - at)) : b);
      if (length >= 0 && at >= length) finish();
    };
    const socket = connect({
      host: target.hostname,
      port: Number(target.port || 80),
      onread: {
        buffer: Buffer.alloc(1024 * 1024),
        callback(n: number, buf: Uint8Array): boolean {
          const b = Buffer.from(buf.buffer, buf.byteOffset, n);
          if (!head) return onBody(b), true;
          head = Buffer.concat([head, b]);
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) return true;
          const lines = head.toString('latin1', 0, end).split('\r\n');
          v.status = Number(lines[0]!.split(' ')[1]);
          for (const line of lines.slice(1)) {
            const c = line.indexOf(':');
            const name = line.slice(0, c).trim().toLowerCase();
            const value = line.slice(c + 1).trim();
            if (name === 'content-length') length = Number(value);
            else if (name === 'transfer-encoding') chunked = /chunked/i.test(value);
            else if (name === 'x-cache') v.xCache = value;
          }
          if (chunked) chunkLeft = -1;
          const rest = head.subarray(end + 4);
          head = undefined;
          if (length === 0) finish();
          else onBody(rest);
          return true;
        },
      },
    });
    socket.setNoDelay(true);
    socket.on('connect', () => socket.write(request));
    socket.setTimeout(120_000, () => finish('timed out after 120 s'));
    socket.on('error', (err) => finish(err.message));
    socket.on('close', () => finish(length >= 0 || chunked ? 'closed before the end of the body' : undefined));
  });
}

const tally = (xs: string[]): Record<string, number> => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});
const t0 = performance.now();
const views = await Promise.all(Array.from({ length: count }, () => view(t0)));
const wanted = suffix === undefined ? 200 : 206;
console.log(
  JSON.stringify({
    count,
    complete: views.filter((v) => v.status === wanted && v.identical && !v.error).length,
    statuses: tally(views.map((v) => String(v.status))),
    xCache: tally(views.map((v) => v.xCache)),
    firstByteMaxMs: Math.max(...views.map((v) => v.firstByteMs)),
    lastDoneMs: Math.max(...views.map((v) => v.doneMs)),
    errors: [...new Set(views.filter((v) => v.error).map((v) => v.error))].slice(0, 3),
  }),
);
