// deletePrefix drops the keys that start with the prefix, and only those.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDiskStore } from '../../../src/cache/disk-store.js';
import { capturedLog, entryOf, manualClock, tempDir } from '../../support/disk-store-helpers.js';

test('deletePrefix removes only matching keys and says how many', async (t) => {
  const path = await tempDir(t);
  const options = { path, maxBytes: 1024 * 1024, log: capturedLog().log, clock: manualClock().now };
  const store = await openDiskStore(options);
  const keys = ['live/a/1.ts', 'live/a/2.ts', 'live/ab/3.ts', 'vod/live/a/4.ts'];
  for (const key of keys) await store.put(key, entryOf(`body of ${key}`));

  assert.equal(await store.deletePrefix('live/a/'), 2);
  assert.equal(await store.deletePrefix('nothing/'), 0);

  assert.equal(await store.get('live/a/1.ts'), undefined);
  assert.equal(await store.get('live/a/2.ts'), undefined);
  for (const key of ['live/ab/3.ts', 'vod/live/a/4.ts']) assert.equal((await store.get(key))?.body.toString(), `body of ${key}`);
  await store.close();
  const reopened = await openDiskStore(options);
  t.after(() => reopened.close());
  assert.equal(reopened.stats().entries, 2);
  assert.equal(await reopened.get('live/a/1.ts'), undefined);
});
