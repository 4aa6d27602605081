/**
 * The S3 chunked-upload example (STREAMING-AWS4-HMAC-SHA256-PAYLOAD): the seed
 * signature verifies, every chunk string-to-sign / signature equals the
 * published one, the decoder turns the framed body back into the object and
 * refuses a tampered chunk signature, a wrong decoded length and a truncation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AwsChunkedDecoder, chunkSignature, chunkStringToSign, type ChunkSigningContext } from '@origin-signer/strict-origin';
import { S3Error } from '@origin-signer/strict-origin';
import { sha256Hex } from '@origin-signer/strict-origin';
import { verifySigV4Header } from '@origin-signer/strict-origin';
import { loadVectors, tweak, v4Policy, v4Request, type SigV4Vector } from '../../support/origin-vectors.js';

const v = loadVectors<SigV4Vector>('s3-chunked-docs.json')[0] as SigV4Vector;
const chunks = v.chunks ?? [];
const data = (c: (typeof chunks)[number]) => Buffer.from(c.data.repeat.repeat(c.data.count), 'utf8');

function framed(signatures = chunks.map((c) => c.signature)): Buffer {
  return Buffer.concat(
    chunks.flatMap((c, i) => [Buffer.from(`${c.size.toString(16)};chunk-signature=${signatures[i]}\r\n`), data(c), Buffer.from('\r\n')]),
  );
}

async function seed(): Promise<ChunkSigningContext> {
  const r = await verifySigV4Header(v4Request(v), v4Policy(v, { requireContentSha256: true }));
  assert.equal(r.canonicalRequest, v.expected.canonical_request);
  assert.equal(r.payloadHash, 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  return { signingKey: r.signingKey, amzDate: r.amzDate, scope: r.scope, seedSignature: r.signature };
}

async function decode(ctx: ChunkSigningContext, body: Buffer, decodedLength: number, pieceSize = 1000): Promise<Buffer> {
  const out: Buffer[] = [];
  const pieces: Buffer[] = [];
  for (let i = 0; i < body.length; i += pieceSize) pieces.push(body.subarray(i, i + pieceSize));
  await pipeline(
    Readable.from(pieces),
    new AwsChunkedDecoder(ctx, { decodedLength }),
    new Writable({
      write(c: Buffer, _e, cb) {
        out.push(c);
        cb();
      },
    }),
  );
  return Buffer.concat(out);
}

test('framing length equals the published Content-Length', () => {
  const cl = v.request.headers.find(([k]) => k === 'Content-Length')?.[1];
  assert.equal(String(framed().length), cl);
});

test('chunk strings to sign and signatures equal the published ones', async () => {
  const ctx = await seed();
  assert.equal(chunks.length, 3);
  let prev = ctx.seedSignature;
  for (const c of chunks) {
    assert.equal(c.previous_signature, prev);
    const sts = chunkStringToSign(ctx, prev, sha256Hex(data(c)));
    assert.equal(sts, c.string_to_sign);
    assert.equal(chunkSignature(ctx.signingKey, sts), c.signature);
    prev = c.signature;
  }
});

test('the decoder yields the 66560 object bytes, whatever the read sizes', async () => {
  const ctx = await seed();
  for (const piece of [1, 7, 1000, 65536, 1 << 20]) {
    const out = await decode(ctx, framed(), 66560, piece);
    assert.equal(out.length, 66560);
    assert.ok(out.equals(Buffer.alloc(66560, 'a')));
  }
});

test('a one-character change of any chunk signature is refused', async () => {
  const ctx = await seed();
  for (let i = 0; i < chunks.length; i++) {
    const sigs = chunks.map((c) => c.signature);
    sigs[i] = tweak(sigs[i] as string);
    await assert.rejects(decode(ctx, framed(sigs), 66560), (e: unknown) => e instanceof S3Error && e.code === 'SignatureDoesNotMatch' && e.status === 403);
  }
});

test('a changed data byte is refused (its chunk signature no longer matches)', async () => {
  const ctx = await seed();
  const body = framed();
  body[200] = 0x62; // 'b' inside the first chunk's data
  await assert.rejects(decode(ctx, body, 66560), (e: unknown) => e instanceof S3Error && e.code === 'SignatureDoesNotMatch');
});

test('a decoded length other than x-amz-decoded-content-length is IncompleteBody', async () => {
  const ctx = await seed();
  await assert.rejects(decode(ctx, framed(), 66561), (e: unknown) => e instanceof S3Error && e.code === 'IncompleteBody' && e.status === 400);
  await assert.rejects(decode(ctx, framed(), 66559), (e: unknown) => e instanceof S3Error && e.code === 'IncompleteBody');
});

test('a body cut before the final chunk is IncompleteBody', async () => {
  const ctx = await seed();
  const body = framed();
  await assert.rejects(decode(ctx, body.subarray(0, body.length - 90), 66560), (e: unknown) => e instanceof S3Error && e.code === 'IncompleteBody');
});

test('the seed signature with a one-character change is refused', async () => {
  const req = v4Request(v);
  const bad = { ...req, headers: req.headers.map(([k, x]) => [k, k === 'Authorization' ? x.replace(v.expected.signature, tweak(v.expected.signature)) : x] as [string, string]) };
  await assert.rejects(verifySigV4Header(bad, v4Policy(v)), (e: unknown) => e instanceof S3Error && e.code === 'SignatureDoesNotMatch');
});
