/**
 * The S3 SigV4 documentation examples (s3-sigv4-docs.json) and the botocore
 * S3 vectors (s3-sigv4-botocore.json) against the origin's verifier with S3's
 * rules: the published signature is accepted and the recomputed canonical
 * request equals the published one; a one-character change is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadVectors, v4Policy, type SigV4Vector } from '../../support/origin-vectors.js';
import { checkAcceptedAndTweaksRefused } from './sigv4-vector-checks.js';

const vectors = [...loadVectors<SigV4Vector>('s3-sigv4-docs.json'), ...loadVectors<SigV4Vector>('s3-sigv4-botocore.json')].filter(
  (v) => v.signing.service === 's3',
);
// S3 header auth always carries x-amz-content-sha256; require it as the server does.
const policy = (v: SigV4Vector) => v4Policy(v, { requireContentSha256: v.signing.mode === 'header' });

test('all 32 S3 vectors are loaded', () => {
  assert.equal(vectors.length, 32);
});

checkAcceptedAndTweaksRefused(vectors, policy);
