// Operations on one key at once do not step on each other.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import cacache from 'cacache';
import { openDiskStore } from '../../../src/cache/disk-store.js';
import { capturedLog, contentFiles, entryOf, manualClock, tempDir } from '../../support/disk-store-helpers.js';

test('two puts of one key at once leave one valid entry', async (t) => {
  const path = await tempDir(t);
  const options = { path, maxBytes: 1024 * 1024, log: capturedLog().log, clock: manualClock().now };
  const store = await openDiskStore(options);
  const first = entryOf('first'.repeat(2000), { etag: '"1"' });
  const second = entryOf('second'.repeat(2000), { etag: '"2"' });

  await Promise.all([store.put('k/same', first), store.put('k/same', second)]);

  const got = await store.get('k/same');
  assert.ok(got);
  const expected = got.meta.etag === '"1"' ? first : second;
  assert.deepEqual(got.body, expected.body);
  assert.equal(store.stats().entries, 1);
  assert.equal((await contentFiles(path)).length, 1);
  assert.deepEqual(Object.keys(await cacache.ls(path)), ['k/same']);
  await store.close();
  const reopened = await openDiskStore(options);
  t.after(() => reopened.close());
  assert.equal((await reopened.get('k/same'))?.meta.etag, expected.meta.etag);
});

test('a get racing a delete returns the entry or undefined, never throws', async (t) => {
  const path = await tempDir(t);
  const store = await openDiskStore({ path, maxBytes: 1024 * 1024, log: capturedLog().log, clock: manualClock().now });
  t.after(() => store.close());
  const entry = entryOf('raced'.repeat(1000));
  const after = async (turns: number): Promise<void> => {
    for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  // Each of get and delete starts a few event-loop turns after the other, so the delete lands at
  // every step of the get's reading (index line, content file, its check).
  for (let getAt = 0; getAt < 6; getAt++) {
    for (let deleteAt = 0; deleteAt < 6; deleteAt++) {
      await store.put('k/raced', entry);
      const [got] = await Promise.all([after(getAt).then(() => store.get('k/raced')), after(deleteAt).then(() => store.delete('k/raced'))]);
      if (got) assert.deepEqual(got.body, entry.body);
      assert.equal(store.stats().entries, 0);
    }
  }
  assert.deepEqual(await contentFiles(path), []);
});
