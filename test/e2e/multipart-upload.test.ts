// README "What reaches the bucket", step 4: `uploads`, `partNumber` and `uploadId` are forwarded
// "so multipart uploads work: POST ?uploads, PUT ?partNumber=&uploadId=, POST ?uploadId=,
// DELETE ?uploadId=, GET ?uploadId=". A whole multipart upload through the CLI proxy (methods with
// POST) against the strict origin, which recomputes every signature (and, in payload: streaming,
// every chunk signature): create, three parts (5 MiB, 5 MiB, 1 MiB) with their ETags, ListParts,
// complete, and the object is the concatenation; a second upload aborted leaves no parts
// (ListParts 404 NoSuchUpload). In payload: unsigned and payload: streaming.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { raw, xmlField, xmlFields } from '../support/origin-client.js';
import { MiB } from '../support/sizes.js';
import { expectedContentSha256, writeBlock, type PayloadMode } from '../support/writes-helpers.js';
import { generatedBytes, md5Hex } from '../support/generated-body.js';

const MODES: readonly PayloadMode[] = ['unsigned', 'streaming'];

test('multipart upload through the proxy: create, parts, list, complete, abort', { timeout: 180_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: MODES.map((payload) =>
      writeBlock(origin.port, { path: `/${payload}/`, bucket: BUCKET, credentials: KEYS, payload, keyPrefix: `${payload}/`, methods: ['GET', 'HEAD', 'PUT', 'DELETE', 'POST'] }),
    ),
  });

  for (const payload of MODES) {
    await t.test(`payload: ${payload}`, async () => {
      const key = 'mpu/video (final)+v2.mp4';
      const path = `/${payload}/mpu/video%20%28final%29%2Bv2.mp4`;
      const parts = [generatedBytes(5 * MiB, `${payload} part 1`), generatedBytes(5 * MiB, `${payload} part 2`), generatedBytes(1 * MiB, `${payload} part 3`)];
      const before = origin.requests.length;

      // CreateMultipartUpload
      const created = await raw(proxy.port, { method: 'POST', path: `${path}?uploads`, headers: { 'content-type': 'video/mp4', 'x-amz-meta-origin': 'mpu' } });
      assert.equal(created.status, 200, created.text.slice(0, 500));
      const uploadId = xmlField(created.text, 'UploadId');
      assert.ok(uploadId, `an UploadId in ${created.text}`);
      assert.equal(xmlField(created.text, 'Key'), `${payload}/${key}`);

      // UploadPart ×3; the ETag of each is the MD5 of its bytes.
      const etags: string[] = [];
      for (const [i, body] of parts.entries()) {
        const res = await raw(proxy.port, {
          method: 'PUT',
          path: `${path}?partNumber=${i + 1}&uploadId=${encodeURIComponent(uploadId)}`,
          headers: { 'content-length': body.length },
          body,
        });
        assert.equal(res.status, 200, `part ${i + 1}: ${res.text.slice(0, 500)}`);
        assert.equal(res.headers.etag, `"${md5Hex(body)}"`, `part ${i + 1} ETag`);
        etags.push(String(res.headers.etag));
      }

      // ListParts
      const listed = await raw(proxy.port, { path: `${path}?uploadId=${encodeURIComponent(uploadId)}` });
      assert.equal(listed.status, 200, listed.text.slice(0, 500));
      assert.deepEqual(xmlFields(listed.text, 'PartNumber'), ['1', '2', '3']);
      assert.deepEqual(xmlFields(listed.text, 'Size'), parts.map((p) => String(p.length)));
      assert.deepEqual(
        xmlFields(listed.text, 'ETag').map((e) => e.replace(/&quot;/g, '"')),
        etags,
      );

      // CompleteMultipartUpload
      const completeXml =
        '<CompleteMultipartUpload>' + etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('') + '</CompleteMultipartUpload>';
      const completed = await raw(proxy.port, {
        method: 'POST',
        path: `${path}?uploadId=${encodeURIComponent(uploadId)}`,
        headers: { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(completeXml) },
        body: completeXml,
      });
      assert.equal(completed.status, 200, completed.text.slice(0, 500));
      const partMd5s = Buffer.concat(parts.map((p) => createHash('md5').update(p).digest()));
      assert.equal(xmlField(completed.text, 'ETag'), `"${md5Hex(partMd5s)}-3"`);

      // The object is the concatenation, with the metadata given at creation.
      const whole = Buffer.concat(parts);
      const got = await raw(proxy.port, { path });
      assert.equal(got.status, 200);
      assert.equal(got.body.length, whole.length);
      assert.ok(got.body.equals(whole), 'GET returns the three parts concatenated');
      assert.equal(got.headers['content-type'], 'video/mp4');
      assert.equal(got.headers['x-amz-meta-origin'], 'mpu');
      assert.ok((await origin.getObject(BUCKET, `${payload}/${key}`))?.equals(whole));

      // Every upstream request was signed for this mode and accepted.
      const seen = origin.requests.slice(before);
      assert.equal(seen.length, 7, seen.map((r) => `${r.method} ${r.url} ${r.status}`).join('\n'));
      for (const r of seen) {
        assert.equal(r.auth, 'v4-header', r.url);
        assert.equal(r.status, 200, `${r.method} ${r.url}: ${r.errorCode}`);
      }
      for (const r of seen.filter((s) => s.method === 'PUT')) {
        assert.equal(r.headers['x-amz-content-sha256'], expectedContentSha256(payload, ''), `${r.url}: payload mode`);
      }
      assert.match(seen[0]!.url, /\?uploads(=|$)/, 'CreateMultipartUpload carries ?uploads');

      // A second upload, aborted: its parts are gone.
      const second = await raw(proxy.port, { method: 'POST', path: `${path}.tmp?uploads` });
      assert.equal(second.status, 200, second.text.slice(0, 500));
      const id2 = xmlField(second.text, 'UploadId')!;
      const q2 = `uploadId=${encodeURIComponent(id2)}`;
      const p1 = await raw(proxy.port, { method: 'PUT', path: `${path}.tmp?partNumber=1&${q2}`, headers: { 'content-length': MiB }, body: generatedBytes(MiB, 'aborted') });
      assert.equal(p1.status, 200, p1.text.slice(0, 500));
      const listedBefore = await raw(proxy.port, { path: `${path}.tmp?${q2}` });
      assert.equal(listedBefore.status, 200);
      assert.deepEqual(xmlFields(listedBefore.text, 'PartNumber'), ['1']);
      const aborted = await raw(proxy.port, { method: 'DELETE', path: `${path}.tmp?${q2}` });
      assert.equal(aborted.status, 204, aborted.text.slice(0, 500));
      const listedAfter = await raw(proxy.port, { path: `${path}.tmp?${q2}` });
      assert.equal(listedAfter.status, 404, listedAfter.text.slice(0, 500));
      assert.equal(xmlField(listedAfter.text, 'Code'), 'NoSuchUpload');
      // Completing the aborted upload is refused as well, and no object appears.
      const lateXml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${p1.headers.etag}</ETag></Part></CompleteMultipartUpload>`;
      const late = await raw(proxy.port, {
        method: 'POST',
        path: `${path}.tmp?${q2}`,
        headers: { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(lateXml) },
        body: lateXml,
      });
      assert.equal(late.status, 404, late.text.slice(0, 500));
      assert.equal(xmlField(late.text, 'Code'), 'NoSuchUpload');
      assert.equal(await origin.getObject(BUCKET, `${payload}/${key}.tmp`), undefined);
    });
  }
});
