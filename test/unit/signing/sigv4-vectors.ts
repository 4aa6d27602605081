// Shared checks for every SigV4 vector file: each stage (canonical request, string to sign,
// signature) from the stage functions, then the whole signature from the public entry points.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalHeaders } from '../../../src/signing/v4/canonical-headers.js';
import { canonicalQuery, parseQuery, type EncodedParam } from '../../../src/signing/v4/canonical-query.js';
import { canonicalRequest } from '../../../src/signing/v4/canonical-request.js';
import { canonicalUri } from '../../../src/signing/v4/canonical-uri.js';
import { credentialScope, stringToSign } from '../../../src/signing/v4/string-to-sign.js';
import { deriveSigningKey } from '../../../src/signing/v4/signing-key.js';
import { hmacSha256Hex } from '../../../src/signing/hash.js';
import { uriEncode } from '../../../src/signing/uri-encode.js';
import { signV4Header } from '../../../src/signing/v4/sign-header.js';
import { presignV4 } from '../../../src/signing/v4/presign.js';
import type { Credentials } from '../../../src/signing/types.js';
import { normalizeAuthorization, rulesFor, type SigV4Vector } from '../../support/vectors.js';

const ADDED_BY_SIGNER = new Set(['x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'authorization']);

function credentialsOf(v: SigV4Vector, withToken: boolean): Credentials {
  const c: Credentials = { accessKeyId: v.signing.access_key_id, secretAccessKey: v.signing.secret_access_key };
  return withToken && v.signing.session_token ? { ...c, sessionToken: v.signing.session_token } : c;
}

function queryAuthParams(v: SigV4Vector): EncodedParam[] {
  const s = v.signing;
  const scope = credentialScope(s.amz_date.slice(0, 8), s.region, s.service);
  const params: EncodedParam[] = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', uriEncode(`${s.access_key_id}/${scope}`)],
    ['X-Amz-Date', s.amz_date],
    ['X-Amz-Expires', String(s.expires)],
    ['X-Amz-SignedHeaders', uriEncode(s.signed_headers)],
  ];
  if (s.session_token && s.session_token_signed) params.push(['X-Amz-Security-Token', uriEncode(s.session_token)]);
  return params;
}

function signatureParam(urlOrTarget: string): string | undefined {
  return new URLSearchParams(urlOrTarget.slice(urlOrTarget.indexOf('?') + 1)).get('X-Amz-Signature') ?? undefined;
}

export function checkSigV4Vectors(vectors: SigV4Vector[]): void {
  for (const v of vectors) {
    const s = v.signing;
    for (const rule of rulesFor(v)) {
      test(`${v.id} [${rule} rule]`, async (t) => {
        const headers = canonicalHeaders(v.request.headers);
        assert.equal(headers.signedHeaders, s.signed_headers, 'signed headers');
        const extra = s.mode === 'query' ? queryAuthParams(v) : [];
        const creq = canonicalRequest({
          method: v.request.method,
          canonicalUri: canonicalUri(v.request.path, rule),
          canonicalQuery: canonicalQuery([...parseQuery(v.request.query), ...extra]),
          headers,
          payloadHash: s.payload_hash,
        });
        await t.test('canonical request', () => assert.equal(creq, v.expected.canonical_request));
        const sts = stringToSign(s.amz_date, credentialScope(s.amz_date.slice(0, 8), s.region, s.service), creq);
        await t.test('string to sign', () => assert.equal(sts, v.expected.string_to_sign));
        const key = deriveSigningKey(s.secret_access_key, s.amz_date.slice(0, 8), s.region, s.service);
        await t.test('signature', () => assert.equal(hmacSha256Hex(key, sts), v.expected.signature));

        const ctx = { region: s.region, service: s.service, uriRule: rule };
        if (s.mode === 'header') {
          await t.test('signV4Header', () => {
            const sentSha256 = v.request.headers.some(([n]) => n.toLowerCase() === 'x-amz-content-sha256');
            const base = v.request.headers.filter(([n]) => !ADDED_BY_SIGNER.has(n.toLowerCase()));
            const r = signV4Header({ ...v.request, headers: base }, credentialsOf(v, s.session_token_signed), ctx, {
              amzDate: s.amz_date,
              payloadHash: s.payload_hash,
              contentSha256Header: sentSha256,
            });
            assert.equal(r.canonicalRequest, v.expected.canonical_request);
            assert.equal(r.signature, v.expected.signature);
            assert.ok(v.expected.authorization, 'header vectors carry the Authorization value');
            assert.equal(normalizeAuthorization(r.authorization), normalizeAuthorization(v.expected.authorization));
          });
        } else {
          await t.test('presignV4', () => {
            const r = presignV4(v.request, credentialsOf(v, s.session_token_signed), ctx, {
              amzDate: s.amz_date,
              expires: s.expires ?? 0,
              payloadHash: s.payload_hash,
            });
            assert.equal(r.canonicalRequest, v.expected.canonical_request);
            assert.equal(r.signature, v.expected.signature);
            const published = v.expected.url ?? v.expected.request_target;
            assert.ok(published, 'query vectors carry the signed URL');
            assert.equal(signatureParam(`?${r.query}`), signatureParam(published));
            // Same parameter set as the published URL (order on the wire is free).
            // aws-c-auth's omit_session_token cases add the token to the URL after signing.
            const sent = s.session_token && !s.session_token_signed ? `${r.query}&X-Amz-Security-Token=${uriEncode(s.session_token)}` : r.query;
            const ours = [...new URLSearchParams(sent)].sort();
            const theirs = [...new URLSearchParams(published.slice(published.indexOf('?') + 1))].sort();
            assert.deepEqual(ours, theirs);
          });
        }
      });
    }
  }
}
