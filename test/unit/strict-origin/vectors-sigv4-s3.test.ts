/**
 * The S3 SigV4 documentation examples (s3-sigv4-docs.json) and the botocore
 * S3 vectors (s3-sigv4-botocore.json) against the origin's verifier with S3's
 * rules: the published signature is accepted and the recomputed canonical
 * request equals the published one; a one-character change is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Error } from '@origin-signer/strict-origin';
import { verifySigV4Header, verifySigV4Query, type SigV4Policy } from '@origin-signer/strict-origin';
import type { SignableRequest } from '@origin-signer/strict-origin';
import { loadVectors, tweak, v4Policy, v4Request, withSignature, type SigV4Vector } from '../../support/origin-vectors.js';

const vectors = [...loadVectors<SigV4Vector>('s3-sigv4-docs.json'), ...loadVectors<SigV4Vector>('s3-sigv4-botocore.json')].filter(
  (v) => v.signing.service === 's3',
);
const verify = (v: SigV4Vector, req: SignableRequest, p: SigV4Policy) =>
  v.signing.mode === 'header' ? verifySigV4Header(req, p) : verifySigV4Query(req, p);
// S3 header auth always carries x-amz-content-sha256; require it as the server does.
const policy = (v: SigV4Vector) => v4Policy(v, { requireContentSha256: v.signing.mode === 'header' });
const code = (c: string) => (err: unknown) => err instanceof S3Error && err.code === c;

test('all 32 S3 vectors are loaded', () => {
  assert.equal(vectors.length, 32);
});

for (const v of vectors) {
  test(`${v.id}: published signature accepted, canonical request matches`, async () => {
    const r = await verify(v, v4Request(v), policy(v));
    assert.equal(r.canonicalRequest, v.expected.canonical_request);
    assert.equal(r.stringToSign, v.expected.string_to_sign);
    assert.equal(r.signature, v.expected.signature);
  });

  test(`${v.id}: one-character change of the signature or the path is refused`, async () => {
    const req = v4Request(v);
    await assert.rejects(verify(v, withSignature(req, v.expected.signature, tweak(v.expected.signature)), policy(v)), code('SignatureDoesNotMatch'));
    await assert.rejects(verify(v, { ...req, path: req.path + 'x' }, policy(v)), code('SignatureDoesNotMatch'));
  });
}
