// A full disk (ENOSPC, from a 1 MiB tmpfs) fails puts without failing the caller: the first
// failure warns, the next ones are quiet, and after a put succeeds a new failure warns again.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { openDiskStore } from '../../../src/cache/disk-store.js';
import { capturedLog, contentFiles, entryOf, manualClock } from '../../support/disk-store-helpers.js';

/** A 1 MiB tmpfs, or undefined where mounting is not allowed (not root, or in a container without the right). */
async function smallTmpfs(t: TestContext): Promise<string | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'os-disk-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    await rm(dir, { recursive: true, force: true });
    return undefined;
  }
  t.after(async () => {
    execFileSync('umount', [dir]);
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

test('ENOSPC: puts resolve and keep nothing; one warning per run of failures', async (t) => {
  const mounted = await smallTmpfs(t);
  if (!mounted) return t.skip('mount -t tmpfs is not permitted here (the not-a-directory test covers failing writes)');
  const path = join(mounted, 'cache');
  const { log, lines } = capturedLog();
  const store = await openDiskStore({ path, maxBytes: 64 * 1024 * 1024, log, clock: manualClock().now });
  t.after(() => store.close());
  const big = (n: number) => entryOf(Buffer.alloc(2 * 1024 * 1024, n));

  for (let i = 0; i < 3; i++) await store.put(`k/big-${i}`, big(i));
  assert.equal(store.stats().entries, 0);
  assert.deepEqual(await contentFiles(path), []);
  assert.equal(lines.length, 1, JSON.stringify(lines));
  assert.equal(lines[0]?.code, 'ENOSPC');
  assert.match(String(lines[0]?.msg), new RegExp(`${path}.*ENOSPC`));

  await store.put('k/small', entryOf('fits'));
  assert.equal((await store.get('k/small'))?.body.toString(), 'fits');
  await store.put('k/big-again', big(9));
  await store.put('k/big-again-2', big(8));
  assert.equal(lines.length, 2, JSON.stringify(lines));
  assert.equal(store.stats().entries, 1);
});
