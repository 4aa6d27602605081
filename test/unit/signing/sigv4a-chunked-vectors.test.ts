// test/fixtures/vectors/sigv4a-chunked.json (aws-c-auth's sigv4a_chunked_signing_test): the seed
// request's canonical request, the derived key against the published public key, then the
// vector's body through AwsChunkedEncoder with the ECDSA chunk signer — every chunk's string to
// sign equal to the published one around the previous (unpadded) signature, every signature
// verified with the published key (ECDSA nonces are random: never compared), padded with `*` to
// 144 characters on the wire, and the framed length the one awsChunkedLength announces.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { sha256Hex } from '../../../src/signing/hash.js';
import { STREAMING_PAYLOAD_V4A } from '../../../src/signing/types.js';
import { AwsChunkedEncoder } from '../../../src/signing/v4/aws-chunked-encoder.js';
import { awsChunkedLength } from '../../../src/signing/v4/chunk-signature.js';
import { ecdsaChunkSigner, V4A_CHUNK_SIGNATURE_LENGTH, v4aChunkStringToSign } from '../../../src/signing/v4a/chunk-signature.js';
import { deriveV4aKeyPair } from '../../../src/signing/v4a/key-derivation.js';
import { signV4aHeader } from '../../../src/signing/v4a/sign-header.js';
import { verifyV4aSignature } from '../../../src/signing/v4a/signature.js';
import { v4aCredentialScope } from '../../../src/signing/v4a/string-to-sign.js';
import { loadV4aChunkedVector } from '../../support/vectors.js';

const v = loadV4aChunkedVector();
const scope = v4aCredentialScope(v.amz_date.slice(0, 8), v.service);
const data = v.chunks.map((c) => Buffer.from(c.data.repeat.repeat(c.data.count)));
const body = Buffer.concat(data);
const publishedKey = createPublicKey({
  key: { kty: 'EC', crv: 'P-256', x: Buffer.from(v.public_key.x, 'hex').toString('base64url'), y: Buffer.from(v.public_key.y, 'hex').toString('base64url') },
  format: 'jwk',
});
const keys = deriveV4aKeyPair(v.credentials.access_key_id, v.credentials.secret_access_key);
const ctx = { regionSet: v.region_set, service: v.service, uriRule: 's3' as const };

function seed(): string {
  const r = signV4aHeader({ method: v.request.method, path: v.request.path, query: '', headers: v.request.headers }, { accessKeyId: v.credentials.access_key_id, secretAccessKey: v.credentials.secret_access_key }, ctx, { amzDate: v.amz_date, payloadHash: STREAMING_PAYLOAD_V4A, contentSha256Header: true });
  assert.equal(r.canonicalRequest, v.canonical_request);
  assert.ok(verifyV4aSignature(publishedKey, r.stringToSign, r.signature), 'the seed signature verifies with the published key');
  return r.signature;
}

/** The framed body split back into its chunks: size, wire signature, data. */
function frames(framed: Buffer): Array<{ size: number; wire: string; data: Buffer }> {
  const out: Array<{ size: number; wire: string; data: Buffer }> = [];
  let i = 0;
  while (i < framed.length) {
    const eol = framed.indexOf('\r\n', i);
    const m = /^([0-9a-f]+);chunk-signature=(.*)$/.exec(framed.subarray(i, eol).toString('latin1'));
    assert.ok(m, `a chunk header at byte ${i}`);
    const size = parseInt(m[1]!, 16);
    out.push({ size, wire: m[2]!, data: framed.subarray(eol + 2, eol + 2 + size) });
    assert.equal(framed.subarray(eol + 2 + size, eol + 4 + size).toString(), '\r\n');
    i = eol + 4 + size;
  }
  return out;
}

async function encode(pieceSize: number, seedSignature: string): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < body.length; i += pieceSize) pieces.push(body.subarray(i, i + pieceSize));
  const encoder = new AwsChunkedEncoder({ signer: ecdsaChunkSigner(keys.privateKey, v.amz_date, scope), seedSignature, chunkSize: v.chunks[0]!.size });
  const out: Buffer[] = [];
  for await (const b of Readable.from(pieces).pipe(encoder)) out.push(Buffer.from(b as Buffer));
  return Buffer.concat(out);
}

test('the key derived from the vector credentials is the published public key', () => {
  assert.equal(keys.x.toString('hex'), v.public_key.x);
  assert.equal(keys.y.toString('hex'), v.public_key.y);
});

test('the seed request: the published canonical request, with STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD', () => {
  assert.equal(v.payload_hash, STREAMING_PAYLOAD_V4A);
  seed();
});

test('each chunk string to sign is the published one around the previous signature', () => {
  v.chunks.forEach((c, i) => {
    const previous = `<signature ${i}>`;
    assert.equal(v4aChunkStringToSign(v.amz_date, scope, previous, sha256Hex(data[i]!)), `${v.chunk_sts_pre_signature}${previous}${c.sts_post_signature}`, `chunk ${i}`);
  });
});

test('AwsChunkedEncoder with the ECDSA signer: chained, verified, padded, of the announced length', async () => {
  const seedSignature = seed();
  for (const pieceSize of [1000, 65536, 70000, body.length]) {
    const framed = await encode(pieceSize, seedSignature);
    assert.equal(framed.length, awsChunkedLength(body.length, v.chunks[0]!.size, V4A_CHUNK_SIGNATURE_LENGTH), `framed length with ${pieceSize}-byte pieces`);
    const got = frames(framed);
    assert.deepEqual(got.map((f) => f.size), v.chunks.map((c) => c.size));
    let previous = seedSignature;
    got.forEach((f, i) => {
      assert.equal(f.wire.length, v.signature_padding.length, `chunk ${i}: ${v.signature_padding.length} characters on the wire`);
      const m = /^((?:[0-9a-f]{2})+)(\**)$/.exec(f.wire);
      assert.ok(m, `chunk ${i}: DER hex, then ${v.signature_padding.byte} padding: ${f.wire}`);
      assert.ok(f.data.equals(data[i]!), `chunk ${i} data`);
      const sts = `${v.chunk_sts_pre_signature}${previous}${v.chunks[i]!.sts_post_signature}`;
      assert.ok(verifyV4aSignature(publishedKey, sts, m[1]!), `chunk ${i} verifies with the published key, chained from the unpadded previous signature`);
      previous = m[1]!;
    });
  }
});
