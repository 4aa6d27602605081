// Entries survive a restart: a new store on the same folder indexes what the old one left.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entryBytes, openDiskStore } from '../../../src/cache/disk-store.js';
import { capturedLog, entryOf, manualClock, tempDir } from '../../support/disk-store-helpers.js';

test('a store reopened on the same path sees the entries and their bytes', async (t) => {
  const path = await tempDir(t);
  const options = { path, maxBytes: 1024 * 1024, log: capturedLog().log, clock: manualClock().now };
  const first = await openDiskStore(options);
  const a = entryOf('first body');
  const b = entryOf('second body', { status: 206 });
  await first.put('k/a', a);
  await first.put('k/b', b);
  await first.close();

  const second = await openDiskStore(options);
  t.after(() => second.close());
  assert.deepEqual(second.stats(), {
    entries: 2,
    bytes: entryBytes('k/a', a.body.length, a.meta) + entryBytes('k/b', b.body.length, b.meta),
    maxBytes: 1024 * 1024,
  });
  assert.equal((await second.get('k/a'))?.body.toString(), 'first body');
  const got = await second.get('k/b');
  assert.equal(got?.body.toString(), 'second body');
  assert.equal(got?.meta.status, 206);
});
