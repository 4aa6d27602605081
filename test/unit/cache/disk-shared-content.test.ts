// Identical bodies under different keys share one content file: it leaves the disk only with
// the last key that uses it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDiskStore } from '../../../src/cache/disk-store.js';
import { capturedLog, contentFiles, entryOf, manualClock, tempDir } from '../../support/disk-store-helpers.js';

test('deleting or replacing one of two keys with the same body keeps the other readable', async (t) => {
  const path = await tempDir(t);
  const store = await openDiskStore({ path, maxBytes: 1024 * 1024, log: capturedLog().log, clock: manualClock().now });
  t.after(() => store.close());
  for (const key of ['k/one', 'k/two', 'k/three']) await store.put(key, entryOf('same bytes'));
  assert.equal((await contentFiles(path)).length, 1);

  await store.delete('k/one');
  await store.put('k/two', entryOf('new bytes'));

  assert.equal((await store.get('k/three'))?.body.toString(), 'same bytes');
  assert.equal((await contentFiles(path)).length, 2);
  await store.delete('k/three');
  assert.equal((await contentFiles(path)).length, 1);
  assert.equal((await store.get('k/two'))?.body.toString(), 'new bytes');
});
