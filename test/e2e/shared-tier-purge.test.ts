// README "Shield cache → Shared tier": POST /cache/purge on one replica's admin listener drops the
// shared entries under the key or prefix (Redis SCAN over the object indexes, whose hex names hold
// no glob character — the keys here hold `*`, `?` and `[`) and every other replica's own copies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET } from '../support/origin-client.js';
import { startRedis, redisSkipReason } from '../support/redis.js';
import { replicas, sharedConfig, sharedOrigin, storeGets } from '../support/shared-fleet.js';
import { waitFor } from '../support/wait-for.js';

const KEYS = ['ch*/a[1].ts', 'ch*/b?.ts', 'chx/c.ts'];

test('a purge through one replica\'s admin API drops the shared entries and the other replicas\' copies', { skip: redisSkipReason(), timeout: 60_000 }, async (t) => {
  const redis = await startRedis(t);
  const origin = await sharedOrigin(t);
  for (const k of KEYS) await origin.putObject(BUCKET, k, `body of ${k}`);
  const [a, b] = await replicas(t, 2, sharedConfig(origin.port, redis.url));
  const path = (k: string): string => `/live/${k.split('/').map(encodeURIComponent).join('/')}`;
  const inRedis = (): number => redis.cli('--scan', '--pattern', 'origin-signer:1:e:*').split('\n').filter(Boolean).length;
  const entries = (p: typeof a): number => (p!.proxy.cacheStats().body as { memory: { entries: number } }).memory.entries;

  for (const k of KEYS) assert.equal((await a!.get(path(k))).headers['x-cache'], 'MISS');
  await waitFor(() => inRedis() === 3, 'three entries in Redis');
  for (const k of KEYS) assert.equal((await b!.get(path(k))).headers['x-cache'], 'HIT');

  // The prefix `ch*/` is a glob to SCAN MATCH as written: it must not take chx/c.ts.
  const res = await fetch(`${a!.adminUrl}/cache/purge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ block: '/live/', prefix: 'ch*/' }) });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { purged: 2 });
  assert.equal(inRedis(), 1, 'only chx/c.ts is left in Redis');
  await waitFor(() => entries(b) === 1, 'B dropped its two copies');

  // A third replica (cold memory) misses the purged keys and still shares the other.
  const [c] = await replicas(t, 1, sharedConfig(origin.port, redis.url));
  assert.equal((await c!.get(path('chx/c.ts'))).headers['x-cache'], 'HIT');
  for (const k of KEYS.slice(0, 2)) {
    const r = await b!.get(path(k));
    assert.equal(r.headers['x-cache'], 'MISS', k);
    assert.equal(r.text, `body of ${k}`);
    assert.equal(storeGets(origin, k), 2, k);
  }
  assert.equal(storeGets(origin, 'chx/c.ts'), 1);

  // A purge of one key: gone from Redis too.
  const one = await fetch(`${b!.adminUrl}/cache/purge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ block: '/live/', key: 'chx/c.ts' }) });
  assert.deepEqual(await one.json(), { purged: 1 });
  assert.equal(redis.cli('--scan', '--pattern', 'origin-signer:1:e:*').split('\n').filter(Boolean).length, 2);
  assert.equal((await c!.get(path('chx/c.ts'))).headers['x-cache'], 'MISS');
});
