// Our SigV4A header signing against @smithy/signature-v4a (dev-only; the AWS SDK for JavaScript
// v3's pure-JavaScript SigV4A, no native CRT) on generated requests: the canonical request, the
// string to sign and the Authorization value but its signature are equal; smithy's signature
// verifies with our derived public key over our string to sign (so both derive the same key) and
// ours does too. smithy has no SigV4A presigning: query mode is checked against awscrt
// (sigv4a-oracle-awscrt.property.test.ts) and the aws-c-auth suite.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4a } from '@smithy/signature-v4a';
import type { HeaderBag, HttpRequest as IHttpRequest } from '@smithy/types';
import { UNSIGNED_PAYLOAD } from '../../../src/signing/types.js';
import { V4aKeyCache } from '../../../src/signing/v4a/key-cache.js';
import { verifyV4aSignature } from '../../../src/signing/v4a/signature.js';
import { credentialsOf } from '../../support/oracle-requests.js';
import { ourV4aHeader, v4aRequest, v4aWire } from '../../support/v4a-oracle-requests.js';

/** smithy's signer, keeping the canonical request and string to sign it built. */
class RecordingSignatureV4a extends SignatureV4a {
  canonicalRequest = '';
  stringToSign = '';
  protected override createCanonicalRequest(request: IHttpRequest, canonicalHeaders: HeaderBag, payloadHash: string): string {
    this.canonicalRequest = super.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    return this.canonicalRequest;
  }
  protected override async createStringToSign(longDate: string, scope: string, canonicalRequest: string, algorithm: string): Promise<string> {
    this.stringToSign = await super.createStringToSign(longDate, scope, canonicalRequest, algorithm);
    return this.stringToSign;
  }
}

const cache = new V4aKeyCache();

test('SigV4A header signing matches @smithy/signature-v4a', async () => {
  await fc.assert(
    fc.asyncProperty(v4aRequest, async (g) => {
      const w = v4aWire(g);
      const creds = credentialsOf(g);
      const ours = ourV4aHeader(g, w, cache);
      const headers = { ...Object.fromEntries(w.headers), 'x-amz-content-sha256': UNSIGNED_PAYLOAD };
      const smithy = new RecordingSignatureV4a({ credentials: creds, region: g.regionSet, service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: false });
      const signed = await smithy.sign(new HttpRequest({ method: g.method, protocol: 'https:', hostname: w.hostname, path: w.wirePath, query: w.decodedQuery, headers }), {
        signingDate: g.date,
        signableHeaders: new Set(Object.keys(headers)),
      });
      assert.equal(ours.canonicalRequest, smithy.canonicalRequest);
      assert.equal(ours.stringToSign, smithy.stringToSign);
      const theirs = String(signed.headers['authorization']);
      assert.equal(ours.authorization.replace(/Signature=.*/, ''), theirs.replace(/Signature=.*/, ''));
      const publicKey = cache.get(creds, creds.secretAccessKey).publicKey;
      assert.ok(verifyV4aSignature(publicKey, ours.stringToSign, /Signature=([0-9a-f]+)$/.exec(theirs)![1]!), "smithy's signature verifies with our public key");
      assert.ok(verifyV4aSignature(publicKey, ours.stringToSign, ours.signature));
    }),
    { numRuns: 200 },
  );
});
