/** Range GETs over HTTP: 206 with Content-Range, 416 InvalidRange with `bytes * /size`, multi-range → 200. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET, origin, s3, xmlField } from '../../support/origin-client.js';

const BODY = Buffer.from(Array.from({ length: 100 }, (_, i) => i));

for (const [range, status, start, end] of [
  ['bytes=0-9', 206, 0, 9],
  ['bytes=90-', 206, 90, 99],
  ['bytes=-5', 206, 95, 99],
  ['bytes=95-1000', 206, 95, 99],
  ['bytes=-1000', 206, 0, 99],
  ['bytes=0-0,5-9', 200, 0, 99],
  ['bytes=9-5', 200, 0, 99],
  ['items=0-5', 200, 0, 99],
] as const) {
  test(`Range: ${range} → ${status}`, async (t) => {
    const o = await origin(t);
    await o.putObject(BUCKET, 'bin', BODY);
    const r = await s3(o, { path: `/${BUCKET}/bin`, headers: { Range: range } });
    assert.equal(r.status, status);
    assert.deepEqual(r.body, BODY.subarray(start, end + 1));
    assert.equal(r.headers['content-length'], String(end - start + 1));
    assert.equal(r.headers['content-range'], status === 206 ? `bytes ${start}-${end}/100` : undefined);
  });
}

for (const range of ['bytes=100-', 'bytes=100-200', 'bytes=-0']) {
  test(`Range: ${range} → 416 InvalidRange`, async (t) => {
    const o = await origin(t);
    await o.putObject(BUCKET, 'bin', BODY);
    const r = await s3(o, { path: `/${BUCKET}/bin`, headers: { Range: range } });
    assert.equal(r.status, 416);
    assert.equal(r.headers['content-range'], 'bytes */100');
    assert.equal(xmlField(r.text, 'Code'), 'InvalidRange');
  });
}

test('HEAD with a Range answers 206 headers without a body', async (t) => {
  const o = await origin(t);
  await o.putObject(BUCKET, 'bin', BODY);
  const r = await s3(o, { method: 'HEAD', path: `/${BUCKET}/bin`, headers: { Range: 'bytes=10-19' } });
  assert.equal(r.status, 206);
  assert.equal(r.headers['content-length'], '10');
  assert.equal(r.headers['content-range'], 'bytes 10-19/100');
  assert.equal(r.body.length, 0);
});
