/**
 * The S3 SigV2 documentation examples (both editions) against the origin's
 * independent SigV2 implementation: StringToSign equals the published one,
 * the published signature is accepted, a one-character change is refused.
 *
 * The two Delete examples are flagged `doc_inconsistent`: the page's own rule
 * (x-amz-date present → empty Date line, x-amz-date among the amz headers)
 * gives a different StringToSign from the one printed. The origin follows the
 * rule (as boto's HmacAuthV1 does), so it accepts the rule-conformant
 * `strict_rule` signature and refuses the printed one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Error } from '@origin-signer/strict-origin';
import { verifySigV2Header, verifySigV2Query, type SigV2Policy } from '@origin-signer/strict-origin';
import type { SignableRequest } from '@origin-signer/strict-origin';
import { loadVectors, tweak, v2Policy, v2Request, type SigV2Vector } from '../../support/origin-vectors.js';

const vectors = loadVectors<SigV2Vector>('s3-sigv2-docs.json');
const verify = (v: SigV2Vector, req: SignableRequest, p: SigV2Policy) =>
  v.signing.mode === 'header' ? verifySigV2Header(req, p) : verifySigV2Query(req, p);
const mismatch = (err: unknown) => err instanceof S3Error && err.code === 'SignatureDoesNotMatch';

test('all 17 SigV2 vectors are loaded, header and query', () => {
  assert.equal(vectors.length, 17);
  assert.ok(vectors.some((v) => v.signing.mode === 'query'));
});

for (const v of vectors.filter((x) => !x.doc_inconsistent)) {
  test(`${v.id}: published signature accepted, StringToSign matches`, () => {
    const r = verify(v, v2Request(v), v2Policy(v));
    assert.equal(r.stringToSign, v.expected.string_to_sign);
  });
  test(`${v.id}: one-character change of the signature or the path is refused`, () => {
    assert.throws(() => verify(v, v2Request(v, tweak(v.expected.signature)), v2Policy(v)), mismatch);
    const req = v2Request(v);
    assert.throws(() => verify(v, { ...req, path: req.path + 'x' }, v2Policy(v)), mismatch);
  });
}

for (const v of vectors.filter((x) => x.doc_inconsistent)) {
  test(`${v.id}: the rule-conformant signature is accepted, the inconsistent printed one refused`, () => {
    const strict = v.strict_rule as { string_to_sign: string; signature: string };
    const r = verify(v, v2Request(v, strict.signature), v2Policy(v));
    assert.equal(r.stringToSign, strict.string_to_sign);
    assert.throws(() => verify(v, v2Request(v), v2Policy(v)), mismatch);
    assert.throws(() => verify(v, v2Request(v, tweak(strict.signature)), v2Policy(v)), mismatch);
  });
}

test('query-string auth: expired one second after Expires', () => {
  const v = vectors.find((x) => x.signing.mode === 'query') as SigV2Vector;
  const at = (now: number) => ({ ...v2Policy(v), now });
  assert.doesNotThrow(() => verifySigV2Query(v2Request(v), at((v.signing.expires as number) * 1000)));
  assert.throws(
    () => verifySigV2Query(v2Request(v), at((v.signing.expires as number) * 1000 + 1000)),
    (e: unknown) => e instanceof S3Error && e.code === 'AccessDenied' && e.message === 'Request has expired',
  );
});

test('header auth: Date more than 15 minutes away is RequestTimeTooSkewed', () => {
  const v = vectors.find((x) => x.id === 'sigv2/johnsmith/object-get') as SigV2Vector;
  const p = v2Policy(v);
  assert.throws(
    () => verifySigV2Header(v2Request(v), { ...p, now: p.now + 15 * 60 * 1000 + 1000 }),
    (e: unknown) => e instanceof S3Error && e.code === 'RequestTimeTooSkewed',
  );
});
