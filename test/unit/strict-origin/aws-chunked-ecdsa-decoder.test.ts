// The strict origin's SigV4A aws-chunked decoding (STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD):
// chunks signed here by hand with node:crypto, each string to sign built as
// test/fixtures/vectors/sigv4a-chunked.json (aws-c-auth) shows it, are decoded back into the
// object; a chain through padded signatures, an unpadded signature, padding before the end, a
// tampered chunk and another key's signature are each refused.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { test } from 'node:test';
import { AwsChunkedDecoder, S3Error, ecdsaChunkStringToSign, type EcdsaChunkContext } from '@origin-signer/strict-origin';
import { awsChunkedFrames } from '../../support/aws-chunked-frames.js';
import { loadV4aChunkedVector } from '../../support/vectors.js';

const v = loadV4aChunkedVector();
const scope = `${v.amz_date.slice(0, 8)}/${v.service}/aws4_request`;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const pad = (s: string): string => s.padEnd(v.signature_padding.length, v.signature_padding.byte);
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const SEED = 'ab'.repeat(35);
const data = Buffer.concat(v.chunks.map((c) => Buffer.from(c.data.repeat.repeat(c.data.count))));
const pieces = [data.subarray(0, 65536), data.subarray(65536)];

interface Forge {
  key?: KeyObject;
  /** What goes on the wire for a signature. */
  wire?: (signature: string) => string;
  /** What the next chunk chains from. */
  chain?: (signature: string, wire: string) => string;
  /** Changes a chunk's data after it was signed. */
  tamper?: (chunk: Buffer) => Buffer;
  /** Signs again until each signature is shorter than the padded length, so padding is on the wire. */
  padded?: boolean;
}

function framed(f: Forge = {}): Buffer {
  let previous = SEED;
  const signatureOf = (chunk: Buffer): string => {
    const sts = ecdsaStringToSign(previous, sha(chunk));
    // A DER signature is 144 hex characters one time in four, and then has no padding: a forged
    // chain through padded signatures, or a signature sent unpadded, needs ones that are padded
    // (else it is the right chain, or the right wire form).
    let s: string;
    do s = sign('sha256', Buffer.from(sts), { key: f.key ?? privateKey, dsaEncoding: 'der' }).toString('hex');
    while (f.padded && s.length === v.signature_padding.length);
    const wire = (f.wire ?? pad)(s);
    previous = (f.chain ?? ((sig) => sig))(s, wire);
    return wire;
  };
  const out = awsChunkedFrames(pieces, { signatureOf });
  return f.tamper ? f.tamper(out) : out;
}

/** The string to sign as the vector writes it: its fixed lines, then the previous signature, then its hashes. */
function ecdsaStringToSign(previous: string, chunkSha256: string): string {
  const s = `AWS4-ECDSA-P256-SHA256-PAYLOAD\n${v.amz_date}\n${scope}\n${previous}\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n${chunkSha256}`;
  assert.equal(ecdsaChunkStringToSign({ amzDate: v.amz_date, scope }, previous, chunkSha256), s);
  return s;
}

async function decode(body: Buffer, pieceSize = 1000): Promise<Buffer> {
  const ctx: EcdsaChunkContext = { publicKey, amzDate: v.amz_date, scope, seedSignature: SEED };
  const out: Buffer[] = [];
  const parts: Buffer[] = [];
  for (let i = 0; i < body.length; i += pieceSize) parts.push(body.subarray(i, i + pieceSize));
  await pipeline(
    Readable.from(parts),
    new AwsChunkedDecoder(ctx, { decodedLength: data.length }),
    new Writable({
      write(c: Buffer, _e, cb) {
        out.push(c);
        cb();
      },
    }),
  );
  return Buffer.concat(out);
}

async function refused(body: Buffer, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(decode(body), (err: unknown) => {
    assert.ok(err instanceof S3Error, String(err));
    assert.equal(err.code, code);
    if (message) assert.match(err.message, message);
    return true;
  });
}

test('the vector strings to sign are what the origin checks', () => {
  v.chunks.forEach((c, i) => {
    const chunk = Buffer.from(c.data.repeat.repeat(c.data.count));
    assert.equal(ecdsaStringToSign('PREV', sha(chunk)), `${v.chunk_sts_pre_signature}PREV${c.sts_post_signature}`, `chunk ${i}`);
  });
});

test('a well-signed ECDSA chain decodes to the object, from any split', async () => {
  for (const size of [1, 1000, 65536 + 7, 1 << 20]) assert.ok((await decode(framed(), size)).equals(data), `pieces of ${size}`);
});

test('a chain through the padded signatures is refused', async () => {
  await refused(framed({ chain: (_s, wire) => wire, padded: true }), 'SignatureDoesNotMatch');
});

test('a signature without its padding, or padded in the middle, is refused', async () => {
  await refused(framed({ wire: (s) => s, padded: true }), 'IncompleteBody', /Malformed aws-chunked chunk header/);
  await refused(framed({ wire: (s) => pad(`**${s}`).slice(0, 144) }), 'SignatureDoesNotMatch');
});

test('a chunk changed after signing, or signed by another key, is refused', async () => {
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  await refused(framed({ key: other }), 'SignatureDoesNotMatch');
  await refused(framed({ tamper: (b) => Buffer.concat([b.subarray(0, 300), Buffer.from('b'), b.subarray(301)]) }), 'SignatureDoesNotMatch');
});
