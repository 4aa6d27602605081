/**
 * The botocore MediaStore vectors: generic SigV4 rules (path normalised and
 * URI-encoded a second time, e.g. `/folder%20a` → `/folder%2520a`,
 * `/live//stream` → `/live/stream`), verified in mediastore mode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Error } from '@origin-signer/strict-origin';
import { verifySigV4Header } from '@origin-signer/strict-origin';
import { loadVectors, tweak, v4Policy, v4Request, withSignature, type SigV4Vector } from '../../support/origin-vectors.js';

const vectors = loadVectors<SigV4Vector>('s3-sigv4-botocore.json').filter((v) => v.id.startsWith('botocore/mediastore/'));
const code = (c: string) => (err: unknown) => err instanceof S3Error && err.code === c;

test('the three MediaStore vectors are loaded', () => {
  assert.equal(vectors.length, 3);
});

for (const v of vectors) {
  test(`${v.id}: published signature accepted with the generic rule`, async () => {
    const policy = v4Policy(v);
    assert.equal(policy.uriRule, 'generic');
    const r = await verifySigV4Header(v4Request(v), policy);
    assert.equal(r.canonicalRequest, v.expected.canonical_request);
    assert.equal(r.signature, v.expected.signature);
  });

  test(`${v.id}: one-character change refused`, async () => {
    const req = v4Request(v);
    await assert.rejects(verifySigV4Header(withSignature(req, v.expected.signature, tweak(v.expected.signature)), v4Policy(v)), code('SignatureDoesNotMatch'));
  });
}

test('the S3 rule would NOT accept the MediaStore vectors (the rules really differ)', async () => {
  for (const v of vectors.filter((x) => /double|slash/.test(x.id))) {
    await assert.rejects(verifySigV4Header(v4Request(v), v4Policy(v, { uriRule: 's3' })), code('SignatureDoesNotMatch'));
  }
});
