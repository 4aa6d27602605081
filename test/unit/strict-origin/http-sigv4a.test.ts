/**
 * SigV4A over HTTP at the strict origin, signed by @smithy/signature-v4a (the AWS SDK's pure-JS
 * SigV4A; independent of both the origin's verifier and the proxy's signer): a GET and a PUT
 * verify and are logged as v4a-header; a wrong secret is 403 SignatureDoesNotMatch with the
 * canonical request; a region set without the origin's region is refused; a MediaStore origin
 * refuses SigV4A.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4a } from '@smithy/signature-v4a';
import { sha256Hex } from '../../support/generated-body.js';
import { BUCKET, CREDS, origin, raw, xmlField, type Creds } from '../../support/origin-client.js';

async function signV4a(port: number, o: { method?: string; path: string; creds?: Creds; regionSet?: string; body?: string }): Promise<Record<string, string>> {
  const host = `127.0.0.1:${port}`;
  const headers = { host, 'x-amz-content-sha256': o.body === undefined ? sha256Hex('') : sha256Hex(o.body), ...(o.body !== undefined ? { 'content-length': String(Buffer.byteLength(o.body)) } : {}) };
  const signer = new SignatureV4a({ credentials: o.creds ?? CREDS, region: o.regionSet ?? 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  const signed = await signer.sign(new HttpRequest({ method: o.method ?? 'GET', protocol: 'http:', hostname: '127.0.0.1', port, path: o.path, headers }), { signingDate: new Date() });
  return signed.headers as Record<string, string>;
}

test('SigV4A header auth: PUT and GET verify, logged as v4a-header', async (t) => {
  const o = await origin(t);
  const put = await raw(o.port, { method: 'PUT', path: `/${BUCKET}/v4a.txt`, headers: await signV4a(o.port, { method: 'PUT', path: `/${BUCKET}/v4a.txt`, body: 'hello v4a' }), body: 'hello v4a' });
  assert.equal(put.status, 200, put.text);
  const get = await raw(o.port, { path: `/${BUCKET}/v4a.txt`, headers: await signV4a(o.port, { path: `/${BUCKET}/v4a.txt`, regionSet: '*' }) });
  assert.equal(get.status, 200, get.text);
  assert.equal(get.text, 'hello v4a');
  assert.deepEqual(o.requests.map((r) => r.auth), ['v4a-header', 'v4a-header']);
});

test('SigV4A with the wrong secret → 403 SignatureDoesNotMatch with the canonical request', async (t) => {
  const o = await origin(t);
  await o.putObject(BUCKET, 'x.txt', 'x');
  const r = await raw(o.port, { path: `/${BUCKET}/x.txt`, headers: await signV4a(o.port, { path: `/${BUCKET}/x.txt`, creds: { ...CREDS, secretAccessKey: 'not-the-secret' } }) });
  assert.equal(r.status, 403);
  assert.equal(xmlField(r.text, 'Code'), 'SignatureDoesNotMatch');
  const canonical = xmlField(r.text, 'CanonicalRequest') ?? '';
  assert.ok(canonical.includes('x-amz-region-set:us-east-1'), canonical);
  assert.match(xmlField(r.text, 'StringToSign') ?? '', /^AWS4-ECDSA-P256-SHA256\n\d{8}T\d{6}Z\n\d{8}\/s3\/aws4_request\n[0-9a-f]{64}$/);
});

test('a region set without the origin region is refused; a prefix wildcard covers it', async (t) => {
  const o = await origin(t, { region: 'eu-west-1' });
  await o.putObject(BUCKET, 'x.txt', 'x');
  const r = await raw(o.port, { path: `/${BUCKET}/x.txt`, headers: await signV4a(o.port, { path: `/${BUCKET}/x.txt`, regionSet: 'us-east-1,us-west-2' }) });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'AuthorizationHeaderMalformed');
  const ok = await raw(o.port, { path: `/${BUCKET}/x.txt`, headers: await signV4a(o.port, { path: `/${BUCKET}/x.txt`, regionSet: 'us-east-1,eu-*' }) });
  assert.equal(ok.status, 200, ok.text);
});

test('a MediaStore origin refuses SigV4A', async (t) => {
  const o = await origin(t, { service: 'mediastore' });
  const r = await raw(o.port, { path: '/x.txt', headers: await signV4a(o.port, { path: '/x.txt' }) });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'InvalidRequest');
});
