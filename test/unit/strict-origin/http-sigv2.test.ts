/**
 * SigV2 over HTTP, signed by a small hand-written signer built from the S3
 * REST authentication page: header auth (Date or x-amz-date), query-string
 * auth (Expires), session tokens as x-amz-security-token, and refusals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sigV2, sigV2StringToSign } from '../../support/hand-signers.js';
import { BUCKET, CREDS, md5b64, origin, raw, xmlField } from '../../support/origin-client.js';

const NOW = Date.UTC(2024, 2, 1, 8, 30, 0);
const date = new Date(NOW).toUTCString();

test('header auth: GET and PUT with Content-MD5, Content-Type and x-amz-meta-*', async (t) => {
  const o = await origin(t, { clock: () => NOW });
  const body = 'sigv2 body';
  const md5 = md5b64(body);
  const stsPut = sigV2StringToSign({
    method: 'PUT',
    contentMd5: md5,
    contentType: 'text/plain',
    date,
    amzHeaders: { 'x-amz-meta-who': 'me' },
    resource: `/${BUCKET}/v2%20key.txt`,
  });
  const put = await raw(o.port, {
    method: 'PUT',
    path: `/${BUCKET}/v2%20key.txt`,
    headers: {
      Host: `127.0.0.1:${o.port}`,
      Date: date,
      'Content-MD5': md5,
      'Content-Type': 'text/plain',
      'X-Amz-Meta-Who': 'me',
      'Content-Length': body.length,
      Authorization: `AWS ${CREDS.accessKeyId}:${sigV2(CREDS.secretAccessKey, stsPut)}`,
    },
    body,
  });
  assert.equal(put.status, 200, put.text);
  assert.equal((await o.getObject(BUCKET, 'v2 key.txt'))?.toString(), body);

  const sts = sigV2StringToSign({ method: 'GET', date, resource: `/${BUCKET}/v2%20key.txt` });
  const get = await raw(o.port, {
    path: `/${BUCKET}/v2%20key.txt`,
    headers: { Host: `127.0.0.1:${o.port}`, Date: date, Authorization: `AWS ${CREDS.accessKeyId}:${sigV2(CREDS.secretAccessKey, sts)}` },
  });
  assert.equal(get.status, 200, get.text);
  assert.equal(get.text, body);
  assert.equal(get.headers['x-amz-meta-who'], 'me');
  assert.deepEqual(o.requests.map((r) => r.auth), ['v2-header', 'v2-header']);
});

test('header auth with x-amz-date leaves the Date line empty', async (t) => {
  const o = await origin(t, { clock: () => NOW });
  await o.putObject(BUCKET, 'k', 'v');
  const sts = sigV2StringToSign({ method: 'GET', date: '', amzHeaders: { 'x-amz-date': date }, resource: `/${BUCKET}/k` });
  const r = await raw(o.port, {
    path: `/${BUCKET}/k`,
    headers: { Host: `127.0.0.1:${o.port}`, 'x-amz-date': date, Authorization: `AWS ${CREDS.accessKeyId}:${sigV2(CREDS.secretAccessKey, sts)}` },
  });
  assert.equal(r.status, 200, r.text);
});

test('virtual-hosted: the bucket from the Host is prefixed to the CanonicalizedResource', async (t) => {
  const o = await origin(t, { clock: () => NOW });
  await o.putObject(BUCKET, 'k', 'v');
  const sts = sigV2StringToSign({ method: 'GET', date, resource: `/${BUCKET}/k` });
  const r = await raw(o.port, {
    path: `/k`,
    headers: { Host: `${BUCKET}.localhost:${o.port}`, Date: date, Authorization: `AWS ${CREDS.accessKeyId}:${sigV2(CREDS.secretAccessKey, sts)}` },
  });
  assert.equal(r.status, 200, r.text);
});

test('query-string auth works until Expires, with a session token as an amz header', async (t) => {
  let now = NOW;
  const temp = { accessKeyId: 'ASIAV2', secretAccessKey: 'v2-temp', sessionToken: 'tok/en+=' };
  const o = await origin(t, { clock: () => now, credentials: [temp] });
  await o.putObject(BUCKET, 'k', 'v');
  const expires = NOW / 1000 + 60;
  const sts = sigV2StringToSign({ method: 'GET', date: String(expires), amzHeaders: { 'x-amz-security-token': temp.sessionToken }, resource: `/${BUCKET}/k` });
  const sig = encodeURIComponent(sigV2(temp.secretAccessKey, sts));
  const path = `/${BUCKET}/k?AWSAccessKeyId=${temp.accessKeyId}&Expires=${expires}&x-amz-security-token=${encodeURIComponent(temp.sessionToken)}&Signature=${sig}`;
  const ok = await raw(o.port, { path, headers: { Host: `127.0.0.1:${o.port}` } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(o.requests[0]?.auth, 'v2-query');
  now = (expires + 1) * 1000;
  const late = await raw(o.port, { path, headers: { Host: `127.0.0.1:${o.port}` } });
  assert.equal(late.status, 403);
  assert.equal(xmlField(late.text, 'Message'), 'Request has expired');
});

test('a wrong signature is SignatureDoesNotMatch with the StringToSign', async (t) => {
  const o = await origin(t, { clock: () => NOW });
  const sts = sigV2StringToSign({ method: 'GET', date, resource: `/${BUCKET}/k` });
  const r = await raw(o.port, {
    path: `/${BUCKET}/k`,
    headers: { Host: `127.0.0.1:${o.port}`, Date: date, Authorization: `AWS ${CREDS.accessKeyId}:${sigV2('wrong', sts)}` },
  });
  assert.equal(r.status, 403);
  assert.equal(xmlField(r.text, 'Code'), 'SignatureDoesNotMatch');
  assert.equal(xmlField(r.text, 'StringToSign'), sts);
});

test('SigV2 is refused in mediastore mode', async (t) => {
  const o = await origin(t, { clock: () => NOW, service: 'mediastore' });
  const sts = sigV2StringToSign({ method: 'GET', date, resource: `/k` });
  const r = await raw(o.port, {
    path: `/k`,
    headers: { Host: `127.0.0.1:${o.port}`, Date: date, Authorization: `AWS ${CREDS.accessKeyId}:${sigV2(CREDS.secretAccessKey, sts)}` },
  });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'InvalidRequest');
});
