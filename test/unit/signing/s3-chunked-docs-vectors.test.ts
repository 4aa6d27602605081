// test/fixtures/vectors/s3-chunked-docs.json: the S3 aws-chunked example — seed request stage by
// stage, every chunk's string to sign and signature, the framing and both lengths — then the
// same body through AwsChunkedEncoder, byte for byte.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { deriveSigningKey } from '../../../src/signing/v4/signing-key.js';
import { credentialScope } from '../../../src/signing/v4/string-to-sign.js';
import { awsChunkedLength, chunkHeader, chunkSignature, chunkStringToSign, hmacChunkSigner } from '../../../src/signing/v4/chunk-signature.js';
import { AwsChunkedEncoder } from '../../../src/signing/v4/aws-chunked-encoder.js';
import { sha256Hex } from '../../../src/signing/hash.js';
import { loadVectors, type SigV4Vector } from '../../support/vectors.js';
import { checkSigV4Vectors } from './sigv4-vectors.js';

const vectors = loadVectors<SigV4Vector>('s3-chunked-docs.json');
checkSigV4Vectors(vectors);

for (const v of vectors) {
  const s = v.signing;
  const key = deriveSigningKey(s.secret_access_key, s.amz_date.slice(0, 8), s.region, s.service);
  const scope = credentialScope(s.amz_date.slice(0, 8), s.region, s.service);
  const chunks = v.chunks ?? [];
  const data = chunks.map((c) => Buffer.from(c.data.repeat.repeat(c.data.count)));

  test(`${v.id}: every chunk signature`, () => {
    assert.ok(chunks.length > 1);
    chunks.forEach((c, i) => {
      assert.equal(sha256Hex(data[i]!), c.data_sha256);
      const sts = chunkStringToSign(s.amz_date, scope, c.previous_signature, c.data_sha256);
      assert.equal(sts, c.string_to_sign, `chunk ${i} string to sign`);
      assert.equal(chunkSignature(key, sts), c.signature, `chunk ${i} signature`);
      assert.equal(chunkHeader(c.size, c.signature), c.chunk_header);
    });
    assert.equal(chunks[0]!.previous_signature, v.expected.signature, 'the first chunk chains from the seed signature');
  });

  test(`${v.id}: Content-Length and x-amz-decoded-content-length`, () => {
    const header = (name: string) => v.request.headers.find(([n]) => n.toLowerCase() === name)?.[1];
    const decoded = Number(header('x-amz-decoded-content-length'));
    assert.equal(decoded, data.reduce((n, d) => n + d.length, 0));
    assert.equal(awsChunkedLength(decoded, chunks[0]!.size), Number(header('content-length')));
  });

  test(`${v.id}: AwsChunkedEncoder produces the published framing from any input split`, async () => {
    const expected = Buffer.concat(chunks.flatMap((c, i) => [Buffer.from(c.chunk_header), data[i]!, Buffer.from('\r\n')]));
    const body = Buffer.concat(data);
    // The same bytes arriving in odd pieces must re-chunk to the same frames.
    for (const pieceSize of [1000, 65536, 70000, body.length]) {
      const pieces: Buffer[] = [];
      for (let i = 0; i < body.length; i += pieceSize) pieces.push(body.subarray(i, i + pieceSize));
      const encoder = new AwsChunkedEncoder({ signer: hmacChunkSigner(key, s.amz_date, scope), seedSignature: v.expected.signature, chunkSize: chunks[0]!.size });
      const out: Buffer[] = [];
      await new Promise<void>((resolve, reject) => {
        Readable.from(pieces).pipe(encoder).on('data', (b: Buffer | string) => out.push(Buffer.from(b))).on('end', resolve).on('error', reject);
      });
      assert.ok(Buffer.concat(out).equals(expected), `framing with ${pieceSize}-byte pieces`);
    }
  });
}
