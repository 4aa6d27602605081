// AwsChunkedDecoder: a viewer's aws-chunked upload (SDK trailing checksums, signed streaming)
// loses its framing; the length and the trailing checksum are checked before the last byte is let
// through. The checksums are checked against AWS's own implementations (test/support/aws-chunked-frames.ts).
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { OriginSignerError } from '../../../src/errors.js';
import { AwsChunkedDecoder } from '../../../src/proxy/aws-chunked-decoder.js';
import { runningChecksum } from '../../../src/proxy/trailing-checksum.js';
import { awsChecksum, awsChunkedFrames, chunksOf } from '../../support/aws-chunked-frames.js';

const SIGNATURE = 'ab'.repeat(32);
const SIG = `;chunk-signature=${SIGNATURE}`;

/** `data` framed in chunks of `size`, as an SDK sends it: optional chunk signatures, then trailers. */
const frame = (data: Buffer, size: number, o: { signed?: boolean; trailers?: string[] } = {}): Buffer =>
  awsChunkedFrames(chunksOf(data, size), { ...(o.signed ? { signatureOf: () => SIGNATURE } : {}), ...(o.trailers ? { trailers: o.trailers } : {}) });

/** The trailer `name`'s value for `data`, by AWS's implementations. */
const sdkDigest = (name: string, data: Buffer): Promise<string> => awsChecksum(name.replace('x-amz-checksum-', ''), data);

/** Decodes `wire` fed in pieces of `step` bytes; the output, or the error. */
async function decode(wire: Buffer, decodedLength: number, trailer?: string, step = wire.length): Promise<{ out: Buffer; err?: OriginSignerError }> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < wire.length; i += step) pieces.push(wire.subarray(i, i + step));
  const d = new AwsChunkedDecoder({ decodedLength, ...(trailer ? { trailer: { name: trailer, checksum: runningChecksum(trailer) } } : {}) });
  const out: Buffer[] = [];
  d.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<OriginSignerError | undefined>((resolve) => {
    d.once('end', () => resolve(undefined));
    d.once('error', (e) => resolve(e as OriginSignerError));
  });
  Readable.from(pieces).pipe(d);
  const err = await done;
  return { out: Buffer.concat(out), ...(err ? { err } : {}) };
}

const DATA = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff));

test('the SDK form: unsigned chunks and a CRC32 trailer, as @aws-sdk/client-s3 sends it', async () => {
  const body = Buffer.from('hello from a stream body');
  const wire = Buffer.from('18\r\nhello from a stream body\r\n0\r\nx-amz-checksum-crc32:meaYXQ==\r\n\r\n');
  assert.deepEqual(await decode(wire, 24, 'x-amz-checksum-crc32'), { out: body });
});

test('every checksum S3 takes, signed or not, fed whole or a byte at a time', async () => {
  for (const name of ['x-amz-checksum-crc32', 'x-amz-checksum-crc32c', 'x-amz-checksum-crc64nvme', 'x-amz-checksum-sha1', 'x-amz-checksum-sha256']) {
    const trailers = [`${name}:${await sdkDigest(name, DATA)}`, ...(name.endsWith('sha256') ? [`x-amz-trailer-signature:${'cd'.repeat(32)}`] : [])];
    for (const signed of [false, true]) {
      const wire = frame(DATA, 8192, { signed, trailers });
      for (const step of [wire.length, 1000, 1]) {
        const r = await decode(wire, DATA.length, name, step);
        assert.equal(r.err, undefined, `${name} signed=${signed} step=${step}: ${r.err?.message}`);
        assert.ok(r.out.equals(DATA), `${name} signed=${signed} step=${step}`);
      }
    }
  }
});

test('no trailer: signed streaming (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), and an empty object', async () => {
  assert.ok((await decode(frame(DATA, 65536, { signed: true }), DATA.length, undefined, 777)).out.equals(DATA));
  assert.deepEqual(await decode(Buffer.from(`0${SIG}\r\n\r\n`), 0), { out: Buffer.alloc(0) });
  const empty = await decode(Buffer.from(`0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n`), 0, 'x-amz-checksum-crc32');
  assert.deepEqual(empty, { out: Buffer.alloc(0) });
});

test('a wrong checksum is refused and the last piece of data never comes out', async () => {
  const wire = frame(DATA, 8192, { trailers: [`x-amz-checksum-crc32:${await sdkDigest('x-amz-checksum-crc32', Buffer.from('other'))}`] });
  for (const step of [wire.length, 4096]) {
    const r = await decode(wire, DATA.length, 'x-amz-checksum-crc32', step);
    assert.equal(r.err?.code, 'OS_ERR_CHECKSUM_MISMATCH');
    assert.match(r.err!.message, /x-amz-checksum-crc32 trailer .* does not match its body/);
    assert.ok(r.out.length < DATA.length, `only ${r.out.length} of ${DATA.length} bytes came out`);
  }
  const missing = await decode(frame(DATA, 8192), DATA.length, 'x-amz-checksum-sha256');
  assert.equal(missing.err?.code, 'OS_ERR_BAD_AWS_CHUNKED');
  assert.match(missing.err!.message, /no x-amz-checksum-sha256 trailer/);
});

// Review finding: with the chunks before it adding up to exactly the declared length, a further
// chunk let all of it out before the overflow was seen, so the store kept the object.
test('more data than declared is refused before the declared bytes are all let out', async () => {
  for (const step of [1, 3, 10, 100]) {
    const r = await decode(Buffer.from('5\r\nhello\r\n1\r\nX\r\n0\r\n\r\n'), 5, undefined, step);
    assert.equal(r.err?.code, 'OS_ERR_BAD_AWS_CHUNKED', `step ${step}`);
    assert.ok(r.out.length < 5, `step ${step}: ${r.out.length} bytes came out`);
  }
});

test('a chunk header of 4096 bytes before its CRLF passes, one more does not', async () => {
  const header = (n: number): Buffer => Buffer.from(`3;${'x'.repeat(n - 2)}\r\nabc\r\n0\r\n\r\n`);
  assert.deepEqual(await decode(header(4096), 3, undefined, 1000), { out: Buffer.from('abc') });
  assert.match((await decode(header(4097), 3, undefined, 1000)).err!.message, /longer than 4 KiB/);
});

test('the checked checksum is there to pass on once the body has ended, and only then', async () => {
  const value = await sdkDigest('x-amz-checksum-sha256', DATA);
  const d = new AwsChunkedDecoder({ decodedLength: DATA.length, trailer: { name: 'x-amz-checksum-sha256', checksum: runningChecksum('x-amz-checksum-sha256') } });
  d.resume();
  d.write(frame(DATA, 8192, { trailers: [`x-amz-checksum-sha256:${value}`] }));
  assert.equal(d.verifiedChecksum, undefined);
  await new Promise((resolve) => d.end(resolve));
  assert.equal(d.verifiedChecksum, value);
});

test('framing errors are refused with a reason, never passed on', async () => {
  const cases: Array<[string, Buffer, number, RegExp]> = [
    ['shorter than declared', frame(DATA, 8192), DATA.length + 1, /holds 70000 bytes, not its x-amz-decoded-content-length \(70001\)/],
    ['longer than declared', frame(DATA, 8192), 100, /holds more than its x-amz-decoded-content-length/],
    ['cut before the final chunk', frame(DATA, 8192).subarray(0, 9000), DATA.length, /ended before its final chunk/],
    ['no empty line at the end', Buffer.from('3\r\nabc\r\n0\r\n'), 3, /ended before its final chunk/],
    ['bytes after the end', Buffer.from('3\r\nabc\r\n0\r\n\r\nextra'), 3, /goes on after its final chunk/],
    ['a size that is not hex', Buffer.from('zz\r\nabc\r\n0\r\n\r\n'), 3, /malformed chunk header "zz"/],
    ['a negative size', Buffer.from('-3\r\nabc\r\n0\r\n\r\n'), 3, /malformed chunk header/],
    ['data longer than its size', Buffer.from('2\r\nabc\r\n0\r\n\r\n'), 2, /chunk data longer than its size/],
    ['a bare LF', Buffer.from('3\nabc\r\n0\r\n\r\n'), 3, /does not end with CRLF/],
    ['a header line without end', Buffer.from(`3;${'x'.repeat(5000)}`), 3, /chunk header longer than 4 KiB/],
    ['a trailer without a colon', Buffer.from('3\r\nabc\r\n0\r\nnonsense\r\n\r\n'), 3, /malformed trailer/],
    ['trailers without end', Buffer.from(`3\r\nabc\r\n0\r\nx-amz-trailer-signature:${'b'.repeat(20000)}`), 3, /trailers longer than 16 KiB/],
    // Regression (hunt, 2026-12-07): a checksum trailer x-amz-trailer did not announce went unchecked.
    ['a trailer nobody announced', Buffer.from('3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n'), 3, /"x-amz-checksum-crc32" trailer that x-amz-trailer did not announce/],
    ['a trailer twice', Buffer.from('3\r\nabc\r\n0\r\nx-amz-trailer-signature:a\r\nx-amz-trailer-signature:b\r\n\r\n'), 3, /x-amz-trailer-signature trailer twice/],
  ];
  for (const [what, wire, length, reason] of cases) {
    const r = await decode(wire, length, undefined, 100);
    assert.equal(r.err?.code, 'OS_ERR_BAD_AWS_CHUNKED', what);
    assert.match(r.err!.message, reason, what);
  }
});
