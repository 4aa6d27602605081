// Issue #18, Reload: a config reload that keeps the same stores keeps their entries for the blocks
// that still exist (read from the same bucket and prefix) — a HIT right after, nothing at the store
// — and drops those of a block that is gone or now reads another bucket: the old bytes are never
// served for the new bucket, nor by a block that comes back later. New stores start empty.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { BUCKET, origin as startOrigin } from '../support/origin-client.js';
import { originGets, shieldConfig, startShieldProxy, type CachedBlock } from '../support/shield-e2e.js';

const OTHER = 'other-bucket';
const CACHE = { ttl: '1h' };

test('a reload keeps the entries of blocks that still exist, drops those of removed or re-pointed blocks', async (t) => {
  const origin = await startOrigin(t, { buckets: [BUCKET, OTHER] });
  await origin.putObject(BUCKET, 'a.txt', 'from the first bucket\n');
  await origin.putObject(OTHER, 'a.txt', 'from the other bucket\n');
  const keep: CachedBlock = { path: '/keep/', bucket: BUCKET, cache: CACHE };
  const gone: CachedBlock = { path: '/gone/', bucket: BUCKET, cache: CACHE };
  const moved: CachedBlock = { path: '/moved/', bucket: BUCKET, cache: CACHE };
  const stores = { memory: { maxSize: '16MiB' } };
  const p = await startShieldProxy(t, shieldConfig(origin.port, { stores, blocks: [keep, gone, moved] }), { file: true });
  const reload = async (blocks: CachedBlock[], s: Record<string, unknown> = stores): Promise<void> => {
    writeFileSync(p.file!, stringify(shieldConfig(origin.port, { stores: s, blocks })));
    const result = await p.proxy.reload();
    assert.deepEqual(result, { ok: true });
  };
  const read = async (path: string, cache: string, text: string): Promise<void> => {
    const res = await p.get(path);
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    assert.equal(res.headers['x-cache'], cache, path);
    assert.equal(res.text, text, path);
  };

  for (const block of ['/keep/', '/gone/', '/moved/']) await read(`${block}a.txt`, 'MISS', 'from the first bucket\n');
  for (const block of ['/keep/', '/gone/', '/moved/']) await read(`${block}a.txt`, 'HIT', 'from the first bucket\n');

  // /keep/ stays (its ttl changes: the rules, not what it reads), /gone/ goes, /moved/ reads OTHER.
  await reload([{ ...keep, cache: { ttl: '2h' } }, { ...moved, bucket: OTHER }]);
  const before = origin.requests.length;
  await read('/keep/a.txt', 'HIT', 'from the first bucket\n');
  assert.equal(origin.requests.length, before, 'the kept entry is served without the store');
  await read('/moved/a.txt', 'MISS', 'from the other bucket\n');
  assert.equal(originGets(origin, 'a.txt', before).length, 1);
  assert.equal((await p.get('/gone/a.txt')).status, 404, 'the block is gone');

  // /gone/ comes back as it was: its old entries were dropped, it reads the store again.
  await reload([keep, { ...moved, bucket: OTHER }, gone]);
  const back = origin.requests.length;
  await read('/gone/a.txt', 'MISS', 'from the first bucket\n');
  await read('/keep/a.txt', 'HIT', 'from the first bucket\n');
  await read('/moved/a.txt', 'HIT', 'from the other bucket\n');
  assert.equal(originGets(origin, 'a.txt', back).length, 1);

  // /moved/ back on its first bucket: what it kept from OTHER is not served for it.
  await reload([keep, moved, gone]);
  await read('/moved/a.txt', 'MISS', 'from the first bucket\n');

  // Other stores (a different memory.maxSize): a new, empty cache.
  await reload([keep, moved, gone], { memory: { maxSize: '32MiB' } });
  await read('/keep/a.txt', 'MISS', 'from the first bucket\n');
});
