// A multipart upload through the CLI proxy into a real Ceph RGW (README "What reaches the bucket",
// step 4: `uploads`, `partNumber` and `uploadId` are forwarded and signed), in the `unsigned` and
// `streaming` payload modes. Steps, each a subtest (later ones use the earlier ones' upload):
//  1. POST ?uploads (no body framing, as `curl -X POST` sends it) starts an upload: RGW's
//     InitiateMultipartUploadResult names bucket, key and UploadId. Three parts (5 MiB, 5 MiB,
//     1 MiB) go up with PUT ?partNumber=N&uploadId=ID, each answered with the MD5 of the part as
//     ETag (RGW hashed exactly the part's bytes: no aws-chunked framing in them). GET ?uploadId=ID
//     (ListParts) lists the three parts with their sizes and ETags.
//  2. POST ?uploadId=ID with the CompleteMultipartUpload XML assembles the object, whose ETag is
//     S3's multipart ETag (MD5 of the part MD5s, "-3"). GET through the proxy returns the
//     concatenation of the parts, and a direct, independently signed GET on RGW agrees.
//  3. A second upload of the key, with one part, is aborted with DELETE ?uploadId=ID: RGW then
//     lists no pending upload for the key, ListParts on it is a 404 (the same answer RGW gives
//     directly), and the key is unchanged.
//  4. POST ?uploads with `Content-Length: 0` (what node's http client sends for a body-less POST)
//     starts an upload as well.
// Both in `streaming` mode too: regressions of two bugs found here — POST bodies used to be sent
// aws-chunked (RGW implements that for object data, PutObject and UploadPart, only: 501 "AWS4
// completion for this operation NOT IMPLEMENTED (streaming mode)", Ceph 16 rgw_rest_s3.cc
// AWSGeneralAbstractor::get_auth_data_v4), and an empty POST body was framed as an empty
// aws-chunked body (501).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { raw, xmlField } from '../support/origin-client.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { createBucket, encodeKey, rgwSkipReason, signedRequest, startRgw } from '../support/rgw.js';
import { s3ErrorCode } from '../support/rgw-proxy.js';
import { bodilessPost, writesBlock } from '../support/rgw-writes-helpers.js';
import type { PayloadMode } from '../support/writes-helpers.js';
import { generatedBytes, md5Hex, sha256Hex } from '../support/generated-body.js';
import { MiB } from '../support/sizes.js';

const MODES: readonly PayloadMode[] = ['unsigned', 'streaming'];
const PART_SIZES = [5 * MiB, 5 * MiB, 1 * MiB] as const;

/** Every <name>…</name> element's text (entities decoded), in document order. */
function xmlAll(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => xmlField(m[0], name)!);
}

test('multipart upload through the proxy into Ceph RGW: initiate, 3 parts, list, complete, abort', { skip: rgwSkipReason(), timeout: 600_000 }, async (t) => {
  const started = Date.now();
  const rgw = await startRgw();
  t.after(() => rgw.stop());
  t.diagnostic(`RGW ${rgw.endpoint} up in ${Date.now() - started} ms`);
  const bucket = `writes-mpu-${randomBytes(4).toString('hex')}`;
  await createBucket(rgw, bucket);
  const proxy = await startProxyCli(t, {
    log: { level: 'info' },
    server: { host: '127.0.0.1', port: 0 },
    proxies: MODES.map((payload) => writesBlock(rgw, { path: `/${payload}/`, bucket, payload })),
  });
  const pendingFor = async (key: string): Promise<string[]> => {
    const res = await signedRequest(rgw, 'GET', `/${bucket}?uploads&prefix=${encodeURIComponent(key)}`);
    assert.equal(res.status, 200, res.body.toString('utf8'));
    return xmlAll(res.body.toString('utf8'), 'UploadId');
  };

  for (const payload of MODES) {
    const modeStarted = Date.now();
    const key = `vod/${payload}/multi part+film (1).mp4`;
    const path = `/${payload}/${encodeKey(key)}`;
    const direct = `/${bucket}/${encodeKey(key)}`;
    const parts = PART_SIZES.map((size, i) => generatedBytes(size, `writes-mpu/${payload}/part${i + 1}`));
    const whole = Buffer.concat(parts);
    const multipartEtag = `"${md5Hex(Buffer.concat(parts.map((p) => createHash('md5').update(p).digest())))}-${parts.length}"`;
    let uploadId: string | undefined;
    const etags: string[] = [];

    await t.test(`payload: ${payload}: POST ?uploads, 3 parts, ListParts`, async () => {
      const init = await bodilessPost(proxy.port, `${path}?uploads`, { 'content-type': 'video/mp4' });
      assert.equal(init.status, 200, `POST ?uploads: ${init.text}`);
      assert.equal(xmlField(init.text, 'Bucket'), bucket, init.text);
      assert.equal(xmlField(init.text, 'Key'), key, init.text);
      uploadId = xmlField(init.text, 'UploadId');
      assert.ok(uploadId, `UploadId in ${init.text}`);
      const q = `uploadId=${encodeURIComponent(uploadId)}`;

      for (const [i, part] of parts.entries()) {
        const put = await raw(proxy.port, { method: 'PUT', path: `${path}?partNumber=${i + 1}&${q}`, body: part });
        assert.equal(put.status, 200, `PUT part ${i + 1}: ${put.text}`);
        assert.equal(put.headers.etag, `"${md5Hex(part)}"`, `part ${i + 1}: RGW's ETag is the MD5 of exactly the part's bytes`);
        etags.push(put.headers.etag);
      }

      const list = await raw(proxy.port, { path: `${path}?${q}` });
      assert.equal(list.status, 200, `GET ?uploadId: ${list.text}`);
      assert.equal(xmlField(list.text, 'UploadId'), uploadId);
      assert.equal(xmlField(list.text, 'Key'), key);
      assert.deepEqual(xmlAll(list.text, 'PartNumber'), ['1', '2', '3'], list.text);
      assert.deepEqual(xmlAll(list.text, 'Size'), PART_SIZES.map(String), list.text);
      assert.deepEqual(xmlAll(list.text, 'ETag'), etags, list.text);
      assert.deepEqual(await pendingFor(key), [uploadId], 'RGW lists the upload as pending');
    });

    await t.test(`payload: ${payload}: POST ?uploadId= completes; GET is the concatenation`, async () => {
      assert.ok(uploadId && etags.length === parts.length, 'step 1 passed');
      const completion =
        '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`).join('') +
        '</CompleteMultipartUpload>';
      const complete = await raw(proxy.port, {
        method: 'POST',
        path: `${path}?uploadId=${encodeURIComponent(uploadId)}`,
        headers: { 'content-type': 'application/xml' },
        body: completion,
      });
      assert.equal(complete.status, 200, `POST ?uploadId: ${complete.text}`);
      assert.equal(s3ErrorCode(complete.body), undefined, `CompleteMultipartUpload answered 200 with an error document: ${complete.text}`);
      assert.equal(xmlField(complete.text, 'Key'), key, complete.text);
      // RGW (Ceph 16) leaves <ETag></ETag> empty in CompleteMultipartUploadResult, also when called
      // directly; the object's ETag is checked on HEAD and GET instead.
      const completedEtag = xmlField(complete.text, 'ETag');
      assert.ok(completedEtag === multipartEtag || completedEtag === '', `CompleteMultipartUploadResult ETag ${completedEtag}, expected ${multipartEtag} (or RGW's empty one)`);
      assert.deepEqual(await pendingFor(key), [], 'no pending upload after completion');

      const head = await signedRequest(rgw, 'HEAD', direct);
      assert.equal(head.status, 200);
      assert.equal(head.headers.etag, multipartEtag, 'RGW HEAD: the multipart ETag');
      assert.equal(head.headers['content-length'], String(whole.length));
      const get = await raw(proxy.port, { path });
      assert.equal(get.status, 200, get.text.slice(0, 400));
      assert.equal(get.headers['content-length'], String(whole.length));
      assert.equal(get.headers.etag, multipartEtag);
      assert.equal(get.headers['content-type'], 'video/mp4', 'the Content-Type given at initiation');
      assert.equal(sha256Hex(get.body), sha256Hex(whole), 'GET equals the concatenation of the parts');
      const directGet = await signedRequest(rgw, 'GET', direct);
      assert.equal(directGet.status, 200);
      assert.ok(directGet.body.equals(whole), 'RGW itself holds the concatenation of the parts');
    });

    await t.test(`payload: ${payload}: DELETE ?uploadId= aborts a second upload`, async () => {
      // Clear what step 1 may have left pending (it stays pending when step 2 fails).
      for (const id of await pendingFor(key)) await signedRequest(rgw, 'DELETE', `${direct}?uploadId=${encodeURIComponent(id)}`);
      const before = await signedRequest(rgw, 'HEAD', direct);

      const init = await bodilessPost(proxy.port, `${path}?uploads`);
      assert.equal(init.status, 200, init.text);
      const id = xmlField(init.text, 'UploadId');
      assert.ok(id && id !== uploadId, init.text);
      const q = `uploadId=${encodeURIComponent(id)}`;
      const stray = generatedBytes(5 * MiB, `writes-mpu/${payload}/aborted`);
      const put = await raw(proxy.port, { method: 'PUT', path: `${path}?partNumber=1&${q}`, body: stray });
      assert.equal(put.status, 200, put.text);
      assert.deepEqual(await pendingFor(key), [id], 'RGW lists the second upload as pending');

      const abort = await raw(proxy.port, { method: 'DELETE', path: `${path}?${q}` });
      assert.equal(abort.status, 204, `DELETE ?uploadId: ${abort.text}`);
      assert.deepEqual(await pendingFor(key), [], 'no pending upload left for the key');
      const listAborted = await raw(proxy.port, { path: `${path}?${q}` });
      const listDirect = await signedRequest(rgw, 'GET', `${direct}?${q}`);
      assert.equal(listAborted.status, 404, listAborted.text);
      // S3 says NoSuchUpload here; RGW (Ceph 16) says NoSuchKey. The proxy passes RGW's answer on.
      assert.ok(['NoSuchUpload', 'NoSuchKey'].includes(s3ErrorCode(listAborted.body) ?? ''), listAborted.text);
      assert.equal(s3ErrorCode(listAborted.body), s3ErrorCode(listDirect.body), 'the same error RGW gives directly');
      const after = await signedRequest(rgw, 'HEAD', direct);
      assert.equal(after.status, before.status, 'the aborted upload did not create or remove the object');
      assert.equal(after.headers.etag, before.headers.etag, 'the aborted upload did not replace the object');
    });

    await t.test(`payload: ${payload}: POST ?uploads with Content-Length: 0`, async () => {
      const key0 = `vod/${payload}/cl0 start.mp4`;
      const path0 = `/${payload}/${encodeKey(key0)}`;
      const init = await raw(proxy.port, { method: 'POST', path: `${path0}?uploads`, headers: { 'content-length': '0' } });
      assert.equal(init.status, 200, `POST ?uploads with Content-Length: 0: ${init.text}`);
      const id = xmlField(init.text, 'UploadId');
      assert.ok(id, init.text);
      assert.deepEqual(await pendingFor(key0), [id]);
      const abort = await raw(proxy.port, { method: 'DELETE', path: `${path0}?uploadId=${encodeURIComponent(id)}` });
      assert.equal(abort.status, 204, abort.text);
    });
    t.diagnostic(`${payload}: ${Date.now() - modeStarted} ms`);
  }
  t.diagnostic(`total ${Date.now() - started} ms`);
});
