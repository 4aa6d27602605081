// A store whose folder cannot be made (its parent is a regular file: ENOTDIR) keeps nothing,
// never fails a put, and warns once. Run as root, chmod would not stop the writes.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDiskStore } from '../../../src/cache/disk-store.js';
import { capturedLog, entryOf, manualClock, tempDir } from '../../support/disk-store-helpers.js';

test('puts resolve, nothing is kept, and one warning names the path and the code', async (t) => {
  const parent = join(await tempDir(t), 'a-file');
  await writeFile(parent, 'not a directory');
  const path = join(parent, 'cache');
  const { log, lines } = capturedLog();
  const store = await openDiskStore({ path, maxBytes: 1024 * 1024, log, clock: manualClock().now });
  t.after(() => store.close());

  for (let i = 0; i < 3; i++) {
    await store.put(`secret-key-${i}`, entryOf('body', { headers: { 'x-amz-meta-token': 'hush' } }));
  }
  await store.delete('secret-key-0');

  assert.equal(await store.get('secret-key-1'), undefined);
  assert.equal(store.stats().entries, 0);
  assert.equal(store.stats().bytes, 0);
  assert.equal(lines.length, 1, JSON.stringify(lines));
  const [line] = lines;
  assert.equal(line?.level, 'warn');
  assert.equal(line?.code, 'ENOTDIR');
  assert.match(String(line?.msg), new RegExp(`${path}.*ENOTDIR`));
  assert.doesNotMatch(JSON.stringify(line), /secret-key|hush/);
});
