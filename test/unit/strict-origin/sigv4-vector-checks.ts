// The two checks every SigV4 vector valid under S3's rules gets, whichever file it comes from:
// the published signature is accepted with the published canonical request, and a one-character
// change of the signature or of the path is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Error, verifySigV4Header, verifySigV4Query, type SigV4Policy } from '@origin-signer/strict-origin';
import type { SignableRequest } from '@origin-signer/strict-origin';
import { tweak, v4Request, withSignature, type SigV4Vector } from '../../support/origin-vectors.js';

/** An assert.rejects predicate: an S3Error with this code. */
export const s3ErrorCode = (c: string) => (err: unknown) => err instanceof S3Error && err.code === c;

const verify = (v: SigV4Vector, req: SignableRequest, p: SigV4Policy) =>
  v.signing.mode === 'header' ? verifySigV4Header(req, p) : verifySigV4Query(req, p);

export function checkAcceptedAndTweaksRefused(vectors: SigV4Vector[], policy: (v: SigV4Vector) => SigV4Policy): void {
  for (const v of vectors) {
    test(`${v.id}: published signature accepted, canonical request matches`, async () => {
      const r = await verify(v, v4Request(v), policy(v));
      assert.equal(r.canonicalRequest, v.expected.canonical_request);
      assert.equal(r.stringToSign, v.expected.string_to_sign);
      assert.equal(r.signature, v.expected.signature);
    });

    test(`${v.id}: one-character change of the signature or the path is refused`, async () => {
      const req = v4Request(v);
      await assert.rejects(verify(v, withSignature(req, v.expected.signature, tweak(v.expected.signature)), policy(v)), s3ErrorCode('SignatureDoesNotMatch'));
      await assert.rejects(verify(v, { ...req, path: req.path + 'x' }, policy(v)), s3ErrorCode('SignatureDoesNotMatch'));
    });
  }
}
