// Regression: headers that make a delete or a multipart completion conditional were dropped, so
// the write went through unconditionally: DELETE with `x-amz-if-match-size` (DeleteObject, S3 API
// Reference) deleted an object of another size, and CompleteMultipartUpload with
// `x-amz-mp-object-size` was never size-checked. They can only make a write fail, so they are now
// forwarded and signed; the strict origin honours both (412 PreconditionFailed, 400 InvalidRequest).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { raw, xmlField } from '../support/origin-client.js';
import { signedHeadersOf, writeBlock } from '../support/writes-helpers.js';

test('conditional deletes and a size-checked multipart completion reach the store, signed', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [writeBlock(origin.port, { path: '/w/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'w/' })],
  });

  await t.test('DELETE with x-amz-if-match-size of another size: 412, the object stays', async () => {
    await origin.putObject(BUCKET, 'w/keep.bin', 'twelve bytes');
    const del = await raw(proxy.port, { method: 'DELETE', path: '/w/keep.bin', headers: { 'x-amz-if-match-size': '999' } });
    assert.equal(del.status, 412, del.text);
    assert.equal((await origin.getObject(BUCKET, 'w/keep.bin'))?.toString(), 'twelve bytes');
    const sent = origin.requests.at(-1)!;
    assert.equal(sent.headers['x-amz-if-match-size'], '999');
    assert.ok(signedHeadersOf(sent.headers.authorization).includes('x-amz-if-match-size'), 'signed');
  });

  await t.test('DELETE with the right size and a last-modified time: both forwarded and signed, deleted', async () => {
    const when = 'Wed, 01 Jan 2025 00:00:00 GMT';
    const del = await raw(proxy.port, { method: 'DELETE', path: '/w/keep.bin', headers: { 'x-amz-if-match-size': '12', 'x-amz-if-match-last-modified-time': when } });
    assert.equal(del.status, 204, del.text);
    const sent = origin.requests.at(-1)!;
    assert.equal(sent.headers['x-amz-if-match-last-modified-time'], when);
    const signed = signedHeadersOf(sent.headers.authorization);
    for (const h of ['x-amz-if-match-size', 'x-amz-if-match-last-modified-time']) assert.ok(signed.includes(h), `${h} signed`);
    assert.equal(await origin.getObject(BUCKET, 'w/keep.bin'), undefined);
  });

  await t.test('CompleteMultipartUpload with a wrong x-amz-mp-object-size: 400, nothing stored', async () => {
    const path = '/w/mp.bin';
    const created = await raw(proxy.port, { method: 'POST', path: `${path}?uploads` });
    const uploadId = encodeURIComponent(xmlField(created.text, 'UploadId') ?? '');
    const part = await raw(proxy.port, { method: 'PUT', path: `${path}?partNumber=1&uploadId=${uploadId}`, headers: { 'content-length': 5 }, body: 'hello' });
    assert.equal(part.status, 200, part.text);
    const xml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${String(part.headers.etag)}</ETag></Part></CompleteMultipartUpload>`;
    const complete = (size: string) =>
      raw(proxy.port, { method: 'POST', path: `${path}?uploadId=${uploadId}`, headers: { 'content-length': Buffer.byteLength(xml), 'x-amz-mp-object-size': size }, body: xml });
    const wrong = await complete('6');
    assert.equal(wrong.status, 400, wrong.text);
    assert.match(wrong.text, /InvalidRequest/);
    assert.ok(signedHeadersOf(origin.requests.at(-1)!.headers.authorization).includes('x-amz-mp-object-size'), 'signed');
    assert.equal(await origin.getObject(BUCKET, 'w/mp.bin'), undefined);
    const right = await complete('5');
    assert.equal(right.status, 200, right.text);
    assert.equal((await origin.getObject(BUCKET, 'w/mp.bin'))?.toString(), 'hello');
  });
});
