// The aws-c-auth SigV4A suite (test/fixtures/vectors/sigv4a-suite/), stage by stage: the derived
// public key, the canonical request and the string to sign exactly; the signatures — ours and the
// published ones — verified with the derived public key (ECDSA nonces are random: never compared).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalHeaders } from '../../../src/signing/v4/canonical-headers.js';
import { canonicalUri } from '../../../src/signing/v4/canonical-uri.js';
import { deriveV4aKeyPair } from '../../../src/signing/v4a/key-derivation.js';
import { presignV4a } from '../../../src/signing/v4a/presign.js';
import { signV4aHeader } from '../../../src/signing/v4a/sign-header.js';
import { verifyV4aSignature } from '../../../src/signing/v4a/signature.js';
import { v4aCredentialScope, v4aStringToSign } from '../../../src/signing/v4a/string-to-sign.js';
import { uriEncode } from '../../../src/signing/uri-encode.js';
import type { Credentials, UriRule } from '../../../src/signing/types.js';
import { loadV4aVectors, payloadHashOf, type V4aVector } from '../../support/v4a-vectors.js';

const vectors = loadV4aVectors();

test('the suite is all there: 38 cases, header and query variants', () => {
  assert.equal(vectors.length, 38);
  for (const v of vectors) {
    assert.ok(v.header.canonicalRequest && v.header.stringToSign && v.query.canonicalRequest && v.query.stringToSign, v.id);
    assert.ok(v.header.signatures.length > 0 && v.query.signatures.length > 0, v.id);
  }
});

/** normalize: SigV4's generic rule; otherwise S3's. Cases whose path both rules leave alike run under both. */
function rulesFor(v: V4aVector): UriRule[] {
  const own: UriRule = v.normalize ? 'generic' : 's3';
  const other: UriRule = v.normalize ? 's3' : 'generic';
  return canonicalUri(v.request.path, own) === canonicalUri(v.request.path, other) ? [own, other] : [own];
}

function credentialsOf(v: V4aVector): Credentials {
  const c: Credentials = { accessKeyId: v.accessKeyId, secretAccessKey: v.secretAccessKey };
  return v.sessionToken && !v.omitSessionToken ? { ...c, sessionToken: v.sessionToken } : c;
}

const params = (query: string): Array<[string, string]> => [...new URLSearchParams(query)].filter(([k]) => k !== 'X-Amz-Signature').sort();

for (const v of vectors) {
  const keys = deriveV4aKeyPair(v.accessKeyId, v.secretAccessKey);
  const scope = v4aCredentialScope(v.amzDate.slice(0, 8), v.service);
  const payloadHash = payloadHashOf(v);

  test(`${v.id}: derived public key`, () => {
    assert.equal(keys.x.toString('hex'), v.publicKey.x);
    assert.equal(keys.y.toString('hex'), v.publicKey.y);
  });

  test(`${v.id}: string to sign of the published canonical requests`, () => {
    assert.equal(v4aStringToSign(v.amzDate, scope, v.header.canonicalRequest), v.header.stringToSign);
    assert.equal(v4aStringToSign(v.amzDate, scope, v.query.canonicalRequest), v.query.stringToSign);
  });

  test(`${v.id}: published signatures verify with the derived public key`, () => {
    for (const sig of v.header.signatures) assert.ok(verifyV4aSignature(keys.publicKey, v.header.stringToSign, sig), `header ${sig}`);
    for (const sig of v.query.signatures) assert.ok(verifyV4aSignature(keys.publicKey, v.query.stringToSign, sig), `query ${sig}`);
    // …and not over another string (the check is not vacuous).
    assert.ok(!verifyV4aSignature(keys.publicKey, `${v.header.stringToSign} `, v.header.signatures[0]!));
  });

  for (const rule of rulesFor(v)) {
    const ctx = { regionSet: v.regionSet, service: v.service, uriRule: rule };

    test(`${v.id} [${rule} rule]: signV4aHeader`, () => {
      const r = signV4aHeader({ ...v.request }, credentialsOf(v), ctx, { amzDate: v.amzDate, payloadHash, contentSha256Header: v.signBody });
      assert.equal(r.canonicalRequest, v.header.canonicalRequest, 'canonical request');
      assert.equal(r.stringToSign, v.header.stringToSign, 'string to sign');
      assert.ok(verifyV4aSignature(keys.publicKey, v.header.stringToSign, r.signature), 'our signature verifies');
      assert.match(r.signature, /^30[0-9a-f]+$/, 'DER hex');
      const published = v.header.signedRequest.headers.find(([n]) => n.toLowerCase() === 'authorization')![1];
      assert.equal(r.authorization.replace(/Signature=.*/, ''), published.replace(/Signature=.*/, ''), 'Authorization (but the signature)');
      // Every header the signer adds is in the published signed request, with the same value.
      for (const [name, value] of r.headers) {
        if (name === 'authorization') continue;
        const theirs = v.header.signedRequest.headers.find(([n]) => n.toLowerCase() === name);
        assert.equal(theirs?.[1], value, name);
      }
    });

    test(`${v.id} [${rule} rule]: presignV4a`, () => {
      const signed = canonicalHeaders(v.request.headers);
      assert.ok(signed.signedHeaders.length > 0);
      const r = presignV4a({ ...v.request }, credentialsOf(v), ctx, { amzDate: v.amzDate, expires: v.expires, payloadHash });
      assert.equal(r.canonicalRequest, v.query.canonicalRequest, 'canonical request');
      assert.equal(r.stringToSign, v.query.stringToSign, 'string to sign');
      assert.ok(verifyV4aSignature(keys.publicKey, v.query.stringToSign, r.signature), 'our signature verifies');
      // The same parameters as the published URL (order on the wire is free); an omitted token is added after signing.
      const sent = v.omitSessionToken && v.sessionToken ? `${r.query}&X-Amz-Security-Token=${uriEncode(v.sessionToken)}` : r.query;
      const target = v.query.signedRequest.target;
      assert.deepEqual(params(sent), params(target.slice(target.indexOf('?') + 1)));
    });
  }
}
