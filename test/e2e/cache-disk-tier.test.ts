// Issue #18, the disk tier (`cache.disk`): entries survive a restart of the proxy; a damaged
// content file is a miss (cacache's integrity check), refetched from the store, never served; a
// disk that is full (ENOSPC, a 1 MiB tmpfs) or cannot be written at all (its path under a regular
// file) leaves every read served from the store — never a 5xx — with one warning in the log.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { contentFiles } from '../support/disk-store-helpers.js';
import { sha256Hex } from '../support/generated-body.js';
import { BUCKET, origin as startOrigin } from '../support/origin-client.js';
import { fakeClock, originGets, shieldConfig, startShieldProxy } from '../support/shield-e2e.js';
import { MiB } from '../support/sizes.js';
import { waitFor } from '../support/wait-for.js';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'os-cache-disk-e2e-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The config of one cached block whose stores include a disk tier at `path`. */
const diskConfig = (originPort: number, path: string): Record<string, unknown> =>
  shieldConfig(originPort, { stores: { disk: { path, maxSize: '64MiB' } }, blocks: [{ path: '/vod/', bucket: BUCKET, cache: { ttl: '1h' } }] });

/** Warnings the disk store gave (it names its path). */
const diskWarnings = (logs: Record<string, unknown>[]): Record<string, unknown>[] => logs.filter((l) => l.level === 'warn' && /^disk cache /.test(String(l.msg)));

test('an entry survives a restart: the second proxy on the same disk serves it as a HIT', async (t) => {
  const clock = fakeClock();
  const origin = await startOrigin(t, { clock: clock.now });
  const body = randomBytes(300 * 1024);
  await origin.putObject(BUCKET, 'movie/seg-7.m4s', body);
  const path = join(await tempDir(t), 'cache');

  const first = await startShieldProxy(t, diskConfig(origin.port, path), { clock: clock.now });
  const miss = await first.get('/vod/movie/seg-7.m4s');
  assert.equal(miss.headers['x-cache'], 'MISS');
  assert.equal(sha256Hex(miss.body), sha256Hex(body));
  // close() waits for the disk store's writes under way.
  await first.close();
  assert.equal((await contentFiles(path)).length, 1, 'the body is on disk');

  clock.advance(60_000);
  const second = await startShieldProxy(t, diskConfig(origin.port, path), { clock: clock.now });
  const requestsBefore = origin.requests.length;
  const hit = await second.get('/vod/movie/seg-7.m4s');
  assert.equal(hit.status, 200);
  assert.equal(hit.headers['x-cache'], 'HIT');
  assert.equal(hit.headers.age, '60');
  assert.equal(hit.headers['content-length'], String(body.length));
  assert.equal(sha256Hex(hit.body), sha256Hex(body));
  assert.equal(origin.requests.length, requestsBefore, 'nothing reached the store');
  assert.deepEqual(diskWarnings(second.logs), []);
});

test('a corrupted content file is a miss: refetched from the store, never served', async (t) => {
  const clock = fakeClock();
  const origin = await startOrigin(t, { clock: clock.now });
  const body = Buffer.from('a segment whose bytes will be damaged on disk\n'.repeat(100));
  await origin.putObject(BUCKET, 'seg.ts', body);
  const path = join(await tempDir(t), 'cache');

  const first = await startShieldProxy(t, diskConfig(origin.port, path), { clock: clock.now });
  assert.equal((await first.get('/vod/seg.ts')).headers['x-cache'], 'MISS');
  await first.close();
  const files = await contentFiles(path);
  assert.equal(files.length, 1);
  const bytes = await readFile(files[0]!);
  bytes[100] = bytes[100]! ^ 0x01;
  await writeFile(files[0]!, bytes);

  const second = await startShieldProxy(t, diskConfig(origin.port, path), { clock: clock.now });
  const before = origin.requests.length;
  const refetched = await second.get('/vod/seg.ts');
  assert.equal(refetched.status, 200);
  assert.equal(refetched.headers['x-cache'], 'MISS');
  assert.equal(sha256Hex(refetched.body), sha256Hex(body), 'the store\'s bytes, not the damaged ones');
  assert.equal(originGets(origin, 'seg.ts', before).length, 1, 'refetched from the store');
  await second.close();

  // The refetch replaced the damaged entry: a third proxy reads it, intact, from disk.
  const third = await startShieldProxy(t, diskConfig(origin.port, path), { clock: clock.now });
  const again = await third.get('/vod/seg.ts');
  assert.equal(again.headers['x-cache'], 'HIT');
  assert.equal(sha256Hex(again.body), sha256Hex(body));
  assert.equal(originGets(origin, 'seg.ts', before).length, 1);
});

/** Reads three 2 MiB objects twice each: every answer 200 and intact, whatever the disk does. */
async function readThrough(t: TestContext, path: string): Promise<Record<string, unknown>[]> {
  const clock = fakeClock();
  const origin = await startOrigin(t, { clock: clock.now });
  const bodies = [0, 1, 2].map(() => randomBytes(2 * MiB));
  for (const [i, b] of bodies.entries()) await origin.putObject(BUCKET, `big-${i}.bin`, b);
  const p = await startShieldProxy(t, diskConfig(origin.port, path), { clock: clock.now });
  for (let round = 0; round < 2; round++) {
    for (const [i, b] of bodies.entries()) {
      const res = await p.get(`/vod/big-${i}.bin`);
      assert.equal(res.status, 200, `big-${i}.bin: ${res.text.slice(0, 200)}`);
      assert.equal(sha256Hex(res.body), sha256Hex(b));
      assert.equal(res.headers['x-cache'], round === 0 ? 'MISS' : 'HIT');
    }
  }
  await waitFor(() => diskWarnings(p.logs).length > 0, 'the disk store warned');
  // Every write under way has ended (close waits for them): no second warning came of them.
  await p.close();
  return diskWarnings(p.logs);
}

test('disk full (ENOSPC): reads are served from the store, one warning', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'os-cache-disk-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    await rm(dir, { recursive: true, force: true });
    return t.skip('mount -t tmpfs is not permitted here (the unwritable-path test covers failing writes)');
  }
  // Lazy: after hooks run in the order they were registered, this one before the proxy's close.
  t.after(async () => {
    execFileSync('umount', ['-l', dir]);
    await rm(dir, { recursive: true, force: true });
  });
  const warnings = await readThrough(t, join(dir, 'cache'));
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  assert.equal(warnings[0]!.code, 'ENOSPC');
});

test('an unwritable disk path (under a regular file): reads are served from the store, one warning', async (t) => {
  const file = join(await tempDir(t), 'not-a-directory');
  await writeFile(file, 'a regular file where the cache folder\'s parent should be\n');
  const warnings = await readThrough(t, join(file, 'cache'));
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  assert.equal(warnings[0]!.code, 'ENOTDIR');
});
