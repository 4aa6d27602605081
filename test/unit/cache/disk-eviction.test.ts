// The store is bounded by bytes: a put that takes it over maxBytes evicts the least recently
// used entries (a get counts as a use), and their content leaves the disk.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entryBytes, openDiskStore } from '../../../src/cache/disk-store.js';
import { capturedLog, contentFiles, entryOf, manualClock, tempDir } from '../../support/disk-store-helpers.js';

test('least recently used entries go first, and the store stays within maxBytes', async (t) => {
  const path = await tempDir(t);
  const clock = manualClock();
  const body = (c: string): string => c.repeat(1000);
  const one = entryBytes('k/a', 1000, entryOf(body('a')).meta);
  const maxBytes = 3 * one + Math.floor(one / 2);
  const evicted: number[] = [];
  const store = await openDiskStore({ path, maxBytes, log: capturedLog().log, clock: clock.now, onEvict: (n) => evicted.push(n) });
  t.after(() => store.close());

  for (const c of ['a', 'b', 'c']) {
    await store.put(`k/${c}`, entryOf(body(c)));
    clock.advance(1000);
  }
  assert.ok(await store.get('k/a'), 'a is read, so b is now the least recently used');
  clock.advance(1000);
  await store.put('k/d', entryOf(body('d')));

  assert.deepEqual(evicted, [1]);
  assert.equal(await store.get('k/b'), undefined);
  for (const c of ['a', 'c', 'd']) assert.equal((await store.get(`k/${c}`))?.body.toString(), body(c));
  assert.deepEqual(store.stats(), { entries: 3, bytes: 3 * one, maxBytes });
  assert.equal((await contentFiles(path)).length, 3);

  // The reads above went a, c, d: a is now the oldest.
  clock.advance(1000);
  await store.put('k/e', entryOf(body('e')));
  assert.deepEqual(evicted, [1, 1]);
  assert.equal(await store.get('k/a'), undefined);
  assert.ok(store.stats().bytes <= maxBytes);
  assert.equal((await contentFiles(path)).length, 3);
});
