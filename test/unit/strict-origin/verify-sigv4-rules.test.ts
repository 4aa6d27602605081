/**
 * The SigV4 verifier's S3 rules other than the signature itself, on the S3
 * documentation's GET Object example (header) and presigned example (query):
 * malformed headers, scope checks, required signed headers, skew and expiry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Error } from '@origin-signer/strict-origin';
import { parseAuthorizationV4, verifySigV4Header, verifySigV4Query } from '@origin-signer/strict-origin';
import type { SignableRequest } from '@origin-signer/strict-origin';
import { loadVectors, v4Policy, v4Request, type SigV4Vector } from '../../support/origin-vectors.js';

const docs = loadVectors<SigV4Vector>('s3-sigv4-docs.json');
const getObject = docs.find((v) => v.id === 's3-doc/get-object') as SigV4Vector;
const presigned = docs.find((v) => v.id === 's3-doc/presigned-get-object') as SigV4Vector;
const policy = (v: SigV4Vector, now?: number) => v4Policy(v, { requireContentSha256: v.signing.mode === 'header', ...(now !== undefined ? { now } : {}) });
const err = (code: string, status: number, msg?: RegExp) => (e: unknown) =>
  e instanceof S3Error && e.code === code && e.status === status && (!msg || msg.test(e.message));

function withAuth(req: SignableRequest, f: (a: string) => string): SignableRequest {
  return { ...req, headers: req.headers.map(([k, v]) => [k, k === 'Authorization' ? f(v) : v] as [string, string]) };
}
function withHeader(req: SignableRequest, name: string, value: string | undefined): SignableRequest {
  const rest = req.headers.filter(([k]) => k.toLowerCase() !== name.toLowerCase());
  return { ...req, headers: value === undefined ? rest : [...rest, [name, value]] };
}

test('Authorization parsing: spaces after commas are optional; components are required', () => {
  const a = parseAuthorizationV4('AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-date,Signature=ab');
  const b = parseAuthorizationV4('AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab');
  assert.deepEqual(a, b);
  assert.deepEqual(a.signedHeaders, ['host', 'x-amz-date']);
  for (const bad of [
    'AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request, SignedHeaders=host',
    'AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/aws4_request, SignedHeaders=host, Signature=ab',
    'AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request, SignedHeaders=, Signature=ab',
    'AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=ab, Signature=cd',
  ]) {
    assert.throws(() => parseAuthorizationV4(bad), err('AuthorizationHeaderMalformed', 400), bad);
  }
});

test('scope date different from x-amz-date is AuthorizationHeaderMalformed', async () => {
  const req = withAuth(v4Request(getObject), (a) => a.replace('/20130524/', '/20130523/'));
  await assert.rejects(verifySigV4Header(req, policy(getObject)), err('AuthorizationHeaderMalformed', 400, /Invalid credential date/));
});

test('wrong terminal is AuthorizationHeaderMalformed', async () => {
  const req = withAuth(v4Request(getObject), (a) => a.replace('aws4_request', 'aws4_reqest'));
  await assert.rejects(verifySigV4Header(req, policy(getObject)), err('AuthorizationHeaderMalformed', 400));
});

test('missing or malformed x-amz-date is AccessDenied', async () => {
  await assert.rejects(verifySigV4Header(withHeader(v4Request(getObject), 'x-amz-date', undefined), policy(getObject)), err('AccessDenied', 403));
  await assert.rejects(verifySigV4Header(withHeader(v4Request(getObject), 'x-amz-date', '2013-05-24T00:00:00Z'), policy(getObject)), err('AccessDenied', 403));
});

test('host and x-amz-date must be signed', async () => {
  const req = withAuth(v4Request(getObject), (a) => a.replace('SignedHeaders=host;', 'SignedHeaders='));
  await assert.rejects(verifySigV4Header(req, policy(getObject)), (e: unknown) => e instanceof S3Error && e.code === 'AccessDenied' && e.field('HeadersNotSigned') === 'host');
});

test('skew is measured against the injected clock', async () => {
  const base = policy(getObject).now;
  await verifySigV4Header(v4Request(getObject), policy(getObject, base + 15 * 60_000));
  await assert.rejects(verifySigV4Header(v4Request(getObject), policy(getObject, base + 15 * 60_000 + 1)), err('RequestTimeTooSkewed', 403));
});

test('presigned: valid up to X-Amz-Date + X-Amz-Expires, expired one ms later, not valid long before', async () => {
  const base = policy(presigned).now;
  await verifySigV4Query(v4Request(presigned), policy(presigned, base + 86400_000));
  await assert.rejects(verifySigV4Query(v4Request(presigned), policy(presigned, base + 86400_001)), err('AccessDenied', 403, /^Request has expired$/));
  await assert.rejects(verifySigV4Query(v4Request(presigned), policy(presigned, base - 16 * 60_000)), err('AccessDenied', 403, /not valid yet/));
});

test('presigned: a missing parameter, a wrong region or a wrong algorithm is AuthorizationQueryParametersError', async () => {
  const req = v4Request(presigned);
  for (const query of [
    req.query.replace(/&X-Amz-Date=[^&]*/, ''),
    req.query.replace('%2Fus-east-1%2F', '%2Fus-west-2%2F'),
    req.query.replace('X-Amz-Algorithm=AWS4-HMAC-SHA256', 'X-Amz-Algorithm=AWS4-HMAC-SHA1'),
    req.query.replace('X-Amz-Expires=86400', 'X-Amz-Expires=604801'),
    req.query.replace('X-Amz-Expires=86400', 'X-Amz-Expires=-1'),
  ]) {
    await assert.rejects(verifySigV4Query({ ...req, query }, policy(presigned)), err('AuthorizationQueryParametersError', 400), query);
  }
});

test('presigned: an unsigned x-amz-* header is refused', async () => {
  const req = withHeader(v4Request(presigned), 'x-amz-meta-x', '1');
  await assert.rejects(verifySigV4Query(req, policy(presigned)), err('AccessDenied', 403));
});

test('an unknown access key is InvalidAccessKeyId', async () => {
  await assert.rejects(verifySigV4Header(v4Request(getObject), { ...policy(getObject), lookup: () => undefined }), err('InvalidAccessKeyId', 403));
});
