/**
 * The aws-c-auth SigV4A suite (test/fixtures/vectors/sigv4a-suite/) against the origin's SigV4A
 * verifier: every published signed request — header and presigned — is accepted with its own
 * signature and with the suite's second published signature, the origin's canonical request and
 * string to sign equal the published ones, and a changed signature, path or region set is refused.
 * The origin's key derivation gives the suite's public key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Error, sigV4aPublicKey, verifySigV4aHeader, verifySigV4aQuery, type SigV4aPolicy, type SignableRequest } from '@origin-signer/strict-origin';
import { loadV4aVectors, payloadHashOf, type V4aVector } from '../../support/v4a-vectors.js';

const vectors = loadV4aVectors();
const code = (c: string) => (err: unknown) => err instanceof S3Error && err.code === c;

function policy(v: V4aVector, withToken: boolean): SigV4aPolicy {
  const token = withToken && v.sessionToken ? { sessionToken: v.sessionToken } : {};
  return {
    region: 'us-east-1',
    service: v.service,
    uriRule: v.normalize ? 'generic' : 's3',
    lookup: (akid) => (akid === v.accessKeyId ? { accessKeyId: akid, secretAccessKey: v.secretAccessKey, ...token } : undefined),
    now: Date.UTC(2015, 7, 30, 12, 36, 0),
    maxSkewMs: 15 * 60 * 1000,
    requireContentSha256: false,
    defaultPayloadHash: payloadHashOf(v),
  };
}

function signedRequest(v: V4aVector, mode: 'header' | 'query'): SignableRequest {
  const { target, headers } = v[mode].signedRequest;
  const q = target.indexOf('?');
  return { method: v.request.method, path: q === -1 ? target : target.slice(0, q), query: q === -1 ? '' : target.slice(q + 1), headers };
}

/** The same request carrying another signature. */
function withSignature(req: SignableRequest, mode: 'header' | 'query', sig: string): SignableRequest {
  if (mode === 'query') return { ...req, query: req.query.replace(/X-Amz-Signature=[0-9a-f]+/, `X-Amz-Signature=${sig}`) };
  return { ...req, headers: req.headers.map(([n, val]) => [n, n.toLowerCase() === 'authorization' ? val.replace(/Signature=[0-9a-f]+/, `Signature=${sig}`) : val] as [string, string]) };
}

const tweak = (sig: string): string => sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');

test('the origin derives the suite public key (public-key.json)', () => {
  const jwk = sigV4aPublicKey('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY').export({ format: 'jwk' });
  assert.equal(Buffer.from(jwk.x!, 'base64url').toString('hex'), 'b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1');
  assert.equal(Buffer.from(jwk.y!, 'base64url').toString('hex'), '865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518');
  const fixed = sigV4aPublicKey('AKISORANDOMAASORANDOM', 'q+jcrXGc+0zWN6uzclKVhvMmUsIfRPa4rlRandom').export({ format: 'jwk' });
  assert.equal(Buffer.from(fixed.x!, 'base64url').toString('hex'), '15d242ceebf8d8169fd6a8b5a746c41140414c3b07579038da06af89190fffcb');
});

for (const v of vectors) {
  for (const mode of ['header', 'query'] as const) {
    const verify = (req: SignableRequest, p: SigV4aPolicy) => (mode === 'header' ? verifySigV4aHeader(req, p) : verifySigV4aQuery(req, p));
    const req = signedRequest(v, mode);

    if (v.omitSessionToken) {
      test(`${v.id} [${mode}]: the token added after signing is refused; without it the signature is sound`, async () => {
        const p = policy(v, true);
        await assert.rejects(verify(req, p), mode === 'header' ? code('AccessDenied') : code('SignatureDoesNotMatch'));
        const stripped: SignableRequest =
          mode === 'header'
            ? { ...req, headers: req.headers.filter(([n]) => n.toLowerCase() !== 'x-amz-security-token') }
            : { ...req, query: req.query.replace(/&X-Amz-Security-Token=[^&]*/, '') };
        const r = await verify(stripped, policy(v, false));
        assert.equal(r.canonicalRequest, v[mode].canonicalRequest);
      });
      continue;
    }

    test(`${v.id} [${mode}]: published signatures accepted, canonical request and string to sign match`, async () => {
      for (const sig of v[mode].signatures) {
        const r = await verify(withSignature(req, mode, sig), policy(v, true));
        assert.equal(r.canonicalRequest, v[mode].canonicalRequest);
        assert.equal(r.stringToSign, v[mode].stringToSign);
        assert.equal(r.regionSet, 'us-east-1');
        assert.equal(r.auth, mode === 'header' ? 'v4a-header' : 'v4a-query');
      }
    });

    test(`${v.id} [${mode}]: a changed signature, path or region set is refused`, async () => {
      const p = policy(v, true);
      await assert.rejects(verify(withSignature(req, mode, tweak(v[mode].signatures[0]!)), p), code('SignatureDoesNotMatch'));
      await assert.rejects(verify({ ...req, path: `${req.path}x` }, p), code('SignatureDoesNotMatch'));
      await assert.rejects(verify(req, { ...p, region: 'eu-west-1' }), code(mode === 'header' ? 'AuthorizationHeaderMalformed' : 'AuthorizationQueryParametersError'));
    });
  }
}
