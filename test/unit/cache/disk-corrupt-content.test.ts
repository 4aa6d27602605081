// cacache checks the content's integrity on every read: damaged content is a miss, and the
// entry is removed so it is not read again.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import cacache from 'cacache';
import { openDiskStore } from '../../../src/cache/disk-store.js';
import { capturedLog, contentFiles, entryOf, manualClock, tempDir } from '../../support/disk-store-helpers.js';

async function storeWithOneEntry(t: test.TestContext) {
  const path = await tempDir(t);
  const options = { path, maxBytes: 1024 * 1024, log: capturedLog().log, clock: manualClock().now };
  const store = await openDiskStore(options);
  t.after(() => store.close());
  await store.put('k/video.mp4', entryOf('the bytes of a video segment'));
  const files = await contentFiles(path);
  assert.equal(files.length, 1);
  return { store, options, file: files[0]! };
}

test('a flipped byte in the content file: get misses and the entry is gone, on disk too', async (t) => {
  const { store, options, file } = await storeWithOneEntry(t);
  const bytes = await readFile(file);
  bytes[3] = bytes[3]! ^ 0xff;
  await writeFile(file, bytes);

  assert.equal(await store.get('k/video.mp4'), undefined);
  assert.deepEqual(store.stats().entries, 0);
  assert.deepEqual(await contentFiles(options.path), []);
  const reopened = await openDiskStore(options);
  t.after(() => reopened.close());
  assert.equal(reopened.stats().entries, 0);
});

test('a missing content file: get misses and the entry is gone', async (t) => {
  const { store, options, file } = await storeWithOneEntry(t);
  await rm(file);

  assert.equal(await store.get('k/video.mp4'), undefined);
  assert.equal(store.stats().entries, 0);
  const reopened = await openDiskStore(options);
  t.after(() => reopened.close());
  assert.equal(reopened.stats().entries, 0);
});

test('metadata that is not an entry\'s: get misses and the entry is gone', async (t) => {
  const path = await tempDir(t);
  // Written through cacache itself, as an older or damaged writer might have left it.
  await cacache.put(path, 'k/odd', Buffer.from('body'), { metadata: { status: 'two hundred' } });
  const options = { path, maxBytes: 1024 * 1024, log: capturedLog().log, clock: manualClock().now };
  const store = await openDiskStore(options);
  t.after(() => store.close());
  assert.equal(store.stats().entries, 1);

  assert.equal(await store.get('k/odd'), undefined);
  assert.equal(store.stats().entries, 0);
  assert.deepEqual(await cacache.ls(path), {});
});
