// The disk store gives back what was put: the body's bytes and the metadata, unchanged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDiskStore } from '../../../src/cache/disk-store.js';
import { capturedLog, entryOf, manualClock, tempDir } from '../../support/disk-store-helpers.js';

test('put then get returns the same body bytes and metadata', async (t) => {
  const path = await tempDir(t);
  const store = await openDiskStore({ path, maxBytes: 1024 * 1024, log: capturedLog().log, clock: manualClock().now });
  t.after(() => store.close());
  const body = Buffer.from([0, 1, 2, 255, 254, 0x0a, 0x0d]);
  const kept = entryOf(body, { code: undefined, headers: { 'content-type': 'application/octet-stream', 'x-amz-meta-a': 'b' } });
  const missing = entryOf('', { status: 404, code: 'NoSuchKey', etag: undefined, objectSize: 0 });

  await store.put('bucket/a.bin', kept);
  await store.put('bucket/gone', missing);

  const got = await store.get('bucket/a.bin');
  assert.ok(got);
  assert.ok(Buffer.isBuffer(got.body));
  assert.deepEqual([...got.body], [...body]);
  assert.deepEqual(got.meta, JSON.parse(JSON.stringify(kept.meta)));
  const gone = await store.get('bucket/gone');
  assert.ok(gone);
  assert.equal(gone.body.length, 0);
  assert.deepEqual(gone.meta, { ...missing.meta, etag: undefined });
  assert.equal(await store.get('bucket/other'), undefined);
  assert.equal(store.stats().entries, 2);
});
