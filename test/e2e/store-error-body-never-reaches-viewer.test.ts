// Regression "the session token reaches any viewer": a `Range: bytes=0-4<0xA0>` was trimmed by our
// signer and kept by the store, whose 403 SignatureDoesNotMatch body — our canonical request, so
// x-amz-security-token, the access key id and SignatureProvided — went to the viewer unchanged.
// Now such a header is refused before anything is signed, and a store's error body never reaches
// a viewer as it is: the viewer gets the store's Code, S3's wording and the proxy's request id.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { raw, rawSocket, xmlField } from '../support/origin-client.js';
import { BUCKET, TEMP_KEYS } from '../support/modes-fixture.js';
import { blockFor, SIGNING_MODES, startProxyCli } from '../support/proxy-cli.js';
import { waitFor } from '../support/wait-for.js';

const SECRETS = [TEMP_KEYS.secretAccessKey, TEMP_KEYS.sessionToken, TEMP_KEYS.accessKeyId];
const LEAKS = /CanonicalRequest|StringToSign|SignatureProvided|AWSAccessKeyId|X-Amz-Signature|x-amz-security-token|Signature=/i;

test('store error bodies and unsignable header bytes never hand a viewer our credentials', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [TEMP_KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'hello.txt', 'hello, world\n');
  // The same key id with a wrong secret: every request is a SignatureDoesNotMatch at the store.
  const wrong = { ...TEMP_KEYS, secretAccessKey: 'not/the+right/secret0000000000000000' };
  const blocks = SIGNING_MODES.flatMap(({ version, mode }) => [
    blockFor(origin.port, { path: `/${version}-${mode}/`, bucket: BUCKET, version, mode, credentials: TEMP_KEYS }),
    blockFor(origin.port, { path: `/bad-${version}-${mode}/`, bucket: BUCKET, version, mode, credentials: wrong }),
  ]);
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, log: { signatureDebug: true }, proxies: blocks });

  for (const { version, mode } of SIGNING_MODES) {
    await t.test(`${version} ${mode}: a Range with a trailing 0xA0 is refused before it is signed`, async () => {
      const before = origin.requests.length;
      // node:http refuses to send 0xA0 in a header: written as latin1 bytes on a raw socket.
      const res = await rawSocket(proxy.port, `GET /${version}-${mode}/hello.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-4\u00a0\r\nConnection: close\r\n\r\n`);
      assert.equal(res.status, 400, res.text);
      assert.match(res.text, /OS_ERR_BAD_HEADER/);
      for (const s of SECRETS) assert.ok(!res.text.includes(s), 'no credential in the answer');
      assert.equal(origin.requests.length, before, 'nothing reached the store');
      const plain = await raw(proxy.port, { path: `/${version}-${mode}/hello.txt`, headers: { range: 'bytes=0-4' } });
      assert.equal(plain.status, 206);
      assert.equal(plain.text, 'hello');
    });

    await t.test(`${version} ${mode}: a store SignatureDoesNotMatch reaches the viewer as a short S3 error`, async () => {
      const res = await raw(proxy.port, { path: `/bad-${version}-${mode}/hello.txt`, headers: { 'x-request-id': `mismatch-${version}-${mode}` } });
      assert.equal(origin.requests.at(-1)?.errorCode, 'SignatureDoesNotMatch', 'the store refused the signature');
      assert.equal(res.status, 403);
      assert.match(String(res.headers['content-type']), /^application\/xml/);
      assert.equal(xmlField(res.text, 'Code'), 'SignatureDoesNotMatch');
      assert.equal(xmlField(res.text, 'RequestId'), `mismatch-${version}-${mode}`);
      assert.equal(Number(res.headers['content-length']), res.body.length);
      assert.doesNotMatch(res.text, LEAKS);
      for (const s of SECRETS) assert.ok(!res.text.includes(s) && !JSON.stringify(res.headers).includes(s), 'no credential in the answer');
      // HEAD: the status only.
      const head = await raw(proxy.port, { method: 'HEAD', path: `/bad-${version}-${mode}/hello.txt` });
      assert.equal(head.status, 403);
      assert.equal(head.body.length, 0);
    });
  }
  // signatureDebug keeps the store's side in the log, token redacted (the proxy's leak check runs at stop).
  const logged = (): Record<string, unknown> | undefined => proxy.logs().find((l) => typeof l.msg === 'string' && l.msg.includes('SignatureDoesNotMatch'));
  await waitFor(() => logged() !== undefined, 'the mismatch logged with both canonical requests');
  const mismatch = logged();
  assert.ok(JSON.stringify(mismatch).includes('[redacted]'));
});
