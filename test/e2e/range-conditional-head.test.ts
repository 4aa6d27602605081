// HEAD, byte ranges and conditional requests through the CLI proxy in every signing mode (with and
// without a session token, virtual and path addressing): the viewer's Range / If-* headers reach
// the strict origin (which verifies every signature), and the origin's answer — status, validators,
// entity headers, body or no body — comes back unchanged. Each exchange is one signed request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET, MODE_BLOCKS, startModesFixture } from '../support/modes-fixture.js';
import { raw, xmlField, type Res } from '../support/origin-client.js';
import { etagOf } from '../support/generated-body.js';

const KEY = 'media/range me.bin';
const PATH = 'media/range%20me.bin';
const BODY = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz', 'latin1');
const CONTENT_TYPE = 'text/x-range-test';
const LAST_MODIFIED = new Date('2024-01-02T03:04:05Z');
const LAST_MODIFIED_HTTP = 'Tue, 02 Jan 2024 03:04:05 GMT';
const ETAG = etagOf(BODY);

test('HEAD, Range and conditional requests pass through every signing mode', async (t) => {
  const { origin, proxy } = await startModesFixture(t, []);
  await origin.putObject(BUCKET, KEY, BODY, { contentType: CONTENT_TYPE, lastModified: LAST_MODIFIED });
  const etag = ETAG;
  const past = 'Sun, 01 Jan 2023 00:00:00 GMT';
  const future = new Date(Date.now() + 365 * 86400_000).toUTCString();

  for (const block of MODE_BLOCKS) {
    await t.test(`${block.prefix} (${block.addressing}-style)`, async () => {
      /** One viewer request; asserts it produced exactly one request at the origin, signed the block's way. */
      const send = async (label: string, method: string, headers: Record<string, string> = {}): Promise<Res> => {
        const before = origin.requests.length;
        const res = await raw(proxy.port, { method, path: `${block.prefix}${PATH}`, headers });
        const seen = origin.requests.slice(before);
        assert.equal(seen.length, 1, `${label}: requests at the origin`);
        assert.equal(seen[0]?.auth, block.auth, `${label}: auth kind`);
        assert.equal(seen[0]?.method, method, `${label}: method at the origin`);
        assert.equal(seen[0]?.status, res.status, `${label}: the viewer got the origin's status`);
        return res;
      };
      const validators = (label: string, res: Res): void => {
        assert.equal(res.headers.etag, etag, `${label}: ETag`);
        assert.equal(res.headers['last-modified'], LAST_MODIFIED_HTTP, `${label}: Last-Modified`);
      };
      const entity = (label: string, res: Res): void => {
        validators(label, res);
        assert.equal(res.headers['accept-ranges'], 'bytes', `${label}: Accept-Ranges`);
        assert.equal(res.headers['content-type'], CONTENT_TYPE, `${label}: Content-Type`);
      };

      const get = await send('GET', 'GET');
      assert.equal(get.status, 200, get.text);
      assert.deepEqual(get.body, BODY);
      entity('GET', get);
      assert.equal(get.headers['content-length'], String(BODY.length));

      const head = await send('HEAD', 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.headers['content-length'], String(BODY.length), 'HEAD keeps the entity Content-Length');
      assert.equal(head.body.length, 0, 'HEAD has no body');
      entity('HEAD', head);

      const range = await send('Range 2-5', 'GET', { Range: 'bytes=2-5' });
      assert.equal(range.status, 206, range.text);
      assert.equal(range.headers['content-range'], `bytes 2-5/${BODY.length}`);
      assert.equal(range.headers['content-length'], '4');
      assert.deepEqual(range.body, BODY.subarray(2, 6));
      entity('Range 2-5', range);

      const suffix = await send('Range -3', 'GET', { Range: 'bytes=-3' });
      assert.equal(suffix.status, 206, suffix.text);
      assert.equal(suffix.headers['content-range'], `bytes ${BODY.length - 3}-${BODY.length - 1}/${BODY.length}`);
      assert.deepEqual(suffix.body, BODY.subarray(BODY.length - 3));

      const headRange = await send('HEAD Range 2-5', 'HEAD', { Range: 'bytes=2-5' });
      assert.equal(headRange.status, 206);
      assert.equal(headRange.headers['content-range'], `bytes 2-5/${BODY.length}`);
      assert.equal(headRange.body.length, 0);

      const unsatisfiable = await send('Range past the end', 'GET', { Range: `bytes=${BODY.length + 10}-` });
      assert.equal(unsatisfiable.status, 416);
      assert.equal(xmlField(unsatisfiable.text, 'Code'), 'InvalidRange', 'the origin\'s XML error passes through');
      assert.equal(xmlField(unsatisfiable.text, 'ActualObjectSize'), String(BODY.length));
      assert.equal(unsatisfiable.headers['content-type'], 'application/xml');
      assert.equal(unsatisfiable.headers['content-range'], `bytes */${BODY.length}`);

      const notModified = await send('If-None-Match', 'GET', { 'If-None-Match': etag });
      assert.equal(notModified.status, 304);
      assert.equal(notModified.body.length, 0, '304 has no body');
      validators('If-None-Match', notModified);

      const noneMatchOther = await send('If-None-Match other', 'GET', { 'If-None-Match': '"0000"' });
      assert.equal(noneMatchOther.status, 200);
      assert.deepEqual(noneMatchOther.body, BODY);

      const ifMatchWrong = await send('If-Match wrong', 'GET', { 'If-Match': '"wrong"' });
      assert.equal(ifMatchWrong.status, 412);
      assert.equal(xmlField(ifMatchWrong.text, 'Code'), 'PreconditionFailed');
      assert.equal(xmlField(ifMatchWrong.text, 'Condition'), 'If-Match');

      const ifMatchRight = await send('If-Match right', 'GET', { 'If-Match': etag, Range: 'bytes=0-0' });
      assert.equal(ifMatchRight.status, 206);
      assert.deepEqual(ifMatchRight.body, BODY.subarray(0, 1));

      const modifiedSince = await send('If-Modified-Since future', 'GET', { 'If-Modified-Since': future });
      assert.equal(modifiedSince.status, 304);
      assert.equal(modifiedSince.body.length, 0);
      validators('If-Modified-Since', modifiedSince);

      const headModifiedSince = await send('HEAD If-Modified-Since future', 'HEAD', { 'If-Modified-Since': future });
      assert.equal(headModifiedSince.status, 304);

      const modifiedSincePast = await send('If-Modified-Since past', 'GET', { 'If-Modified-Since': past });
      assert.equal(modifiedSincePast.status, 200);
      assert.deepEqual(modifiedSincePast.body, BODY);

      const unmodifiedSince = await send('If-Unmodified-Since past', 'GET', { 'If-Unmodified-Since': past });
      assert.equal(unmodifiedSince.status, 412);
      assert.equal(xmlField(unmodifiedSince.text, 'Condition'), 'If-Unmodified-Since');

      const unmodifiedSinceFuture = await send('If-Unmodified-Since future', 'GET', { 'If-Unmodified-Since': future });
      assert.equal(unmodifiedSinceFuture.status, 200);
    });
  }
});
