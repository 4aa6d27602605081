/**
 * x-amz-date more than 15 minutes (maxSkewMs) away from the origin's clock is
 * 403 RequestTimeTooSkewed; within it, the request succeeds. The clock is
 * injected, never waited on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET, amzDate, origin, s3, xmlField } from '../../support/origin-client.js';

const NOW = Date.UTC(2024, 1, 29, 12, 0, 0);
const MIN = 60_000;

for (const [label, offset, expected] of [
  ['14 minutes behind', -14 * MIN, 200],
  ['14 minutes ahead', 14 * MIN, 200],
  ['16 minutes behind', -16 * MIN, 403],
  ['16 minutes ahead', 16 * MIN, 403],
] as const) {
  test(`x-amz-date ${label} → ${expected}`, async (t) => {
    const o = await origin(t, { clock: () => NOW });
    await o.putObject(BUCKET, 'k', 'v');
    const r = await s3(o, { path: `/${BUCKET}/k`, headers: { 'X-Amz-Date': amzDate(NOW + offset) } });
    assert.equal(r.status, expected, r.text);
    if (expected === 403) {
      assert.equal(xmlField(r.text, 'Code'), 'RequestTimeTooSkewed');
      assert.equal(xmlField(r.text, 'RequestTime'), amzDate(NOW + offset));
      assert.equal(xmlField(r.text, 'MaxAllowedSkewMilliseconds'), '900000');
    }
  });
}

test('a custom maxSkewMs is honoured', async (t) => {
  const o = await origin(t, { clock: () => NOW, maxSkewMs: 60_000 });
  await o.putObject(BUCKET, 'k', 'v');
  assert.equal((await s3(o, { path: `/${BUCKET}/k`, headers: { 'X-Amz-Date': amzDate(NOW - 50_000) } })).status, 200);
  assert.equal((await s3(o, { path: `/${BUCKET}/k`, headers: { 'X-Amz-Date': amzDate(NOW - 70_000) } })).status, 403);
});
