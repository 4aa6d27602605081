/**
 * The AWS SigV4 test suite (botocore copy + aws-c-auth) against the origin's
 * verifier, for every vector that is valid under S3's rules (applies_to
 * generic+s3 / s3-only): the published signature is accepted, the origin's own
 * canonical request equals the published one, and a one-character change of
 * the signature or of the path is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Error } from '@origin-signer/strict-origin';
import { verifySigV4Header, verifySigV4Query } from '@origin-signer/strict-origin';
import { loadVectors, v4Policy, v4Request, type SigV4Vector } from '../../support/origin-vectors.js';
import { checkAcceptedAndTweaksRefused, s3ErrorCode } from './sigv4-vector-checks.js';

const vectors = loadVectors<SigV4Vector>('sigv4-suite.json').filter((v) => v.applies_to === 'generic+s3' || v.applies_to === 's3-only');

test('the suite has S3-applicable vectors in both modes', () => {
  assert.ok(vectors.filter((v) => v.signing.mode === 'header').length >= 40);
  assert.ok(vectors.filter((v) => v.signing.mode === 'query').length >= 20);
});

// Token added after signing (session_token_signed: false) is a separate case below.
const unsignedToken = (v: SigV4Vector) => v.signing.session_token !== null && !v.signing.session_token_signed;

checkAcceptedAndTweaksRefused(vectors.filter((x) => !unsignedToken(x)), v4Policy);

for (const v of vectors.filter(unsignedToken)) {
  const token = v.signing.session_token as string;
  if (v.signing.mode === 'header') {
    test(`${v.id}: S3 refuses the token header added after signing (unsigned x-amz-*)`, async () => {
      const req = v4Request(v);
      const withToken = { ...req, headers: [...req.headers, ['X-Amz-Security-Token', token] as [string, string]] };
      const policy = v4Policy(v, {
        lookup: (a) => ({ accessKeyId: a, secretAccessKey: v.signing.secret_access_key, sessionToken: token }),
      });
      await assert.rejects(verifySigV4Header(withToken, policy), (e: unknown) => e instanceof S3Error && e.code === 'AccessDenied' && /x-amz-security-token/.test(e.field('HeadersNotSigned') ?? ''));
      // Without the token the signature itself is sound (a key without a session token).
      const r = await verifySigV4Header(req, v4Policy(v));
      assert.equal(r.canonicalRequest, v.expected.canonical_request);
    });
  } else {
    test(`${v.id}: S3 signs every query parameter, so a token appended after signing is refused`, async () => {
      const policy = v4Policy(v, {
        lookup: (a) => ({ accessKeyId: a, secretAccessKey: v.signing.secret_access_key, sessionToken: token }),
      });
      await assert.rejects(verifySigV4Query(v4Request(v), policy), s3ErrorCode('SignatureDoesNotMatch'));
      const req = v4Request(v);
      const stripped = { ...req, query: req.query.replace(/&X-Amz-Security-Token=[^&]*/, '') };
      const r = await verifySigV4Query(stripped, v4Policy(v));
      assert.equal(r.canonicalRequest, v.expected.canonical_request);
    });
  }
}
