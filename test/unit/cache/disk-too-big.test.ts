// An entry larger than the whole store is not kept at all (and does not evict the others).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDiskStore } from '../../../src/cache/disk-store.js';
import { capturedLog, contentFiles, entryOf, manualClock, tempDir } from '../../support/disk-store-helpers.js';

test('an entry over maxBytes is not stored, and an older copy of its key goes', async (t) => {
  const path = await tempDir(t);
  const evicted: number[] = [];
  const store = await openDiskStore({ path, maxBytes: 4096, log: capturedLog().log, clock: manualClock().now, onEvict: (n) => evicted.push(n) });
  t.after(() => store.close());
  await store.put('k/small', entryOf('small'));
  await store.put('k/grows', entryOf('v1'));

  await store.put('k/grows', entryOf(Buffer.alloc(5000, 1)));

  assert.equal(await store.get('k/grows'), undefined);
  assert.equal((await store.get('k/small'))?.body.toString(), 'small');
  assert.equal(store.stats().entries, 1);
  assert.deepEqual(evicted, []);
  assert.equal((await contentFiles(path)).length, 1);
});
