// Issue #18, Safe on failure: memory is bounded by `memory.maxSize` whatever the traffic. Forty
// distinct 512 KiB objects through a 4 MiB memory store, four at a time, with /metrics scraped all
// along: the store's bytes (kept entries and fills under way) never pass maxSize, evictions are
// counted, and an evicted object goes back to the store. An object over maxObjectSize passes by
// the cache: served whole (X-Cache: MISS) and never kept.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sha256Hex } from '../support/generated-body.js';
import { value } from '../support/ops-prom.js';
import { BUCKET, origin as startOrigin } from '../support/origin-client.js';
import { memoryBytes, originGets, shieldConfig, startGate, startShieldProxy } from '../support/shield-e2e.js';
import { KiB, MiB } from '../support/sizes.js';
import { waitFor } from '../support/wait-for.js';

const MAX = 4 * MiB;
const OBJECTS = 40;
const AT_ONCE = 4;

test('memory.maxSize bounds the memory store: never exceeded, evictions counted, evicted objects refetched', { timeout: 120_000 }, async (t) => {
  const origin = await startOrigin(t);
  const bodies = Array.from({ length: OBJECTS }, () => randomBytes(512 * KiB));
  for (const [i, b] of bodies.entries()) await origin.putObject(BUCKET, `obj-${i}.bin`, b);
  const stores = { memory: { maxSize: '4MiB', maxObjectSize: '1MiB' } };
  const p = await startShieldProxy(t, shieldConfig(origin.port, { stores, blocks: [{ path: '/m/', bucket: BUCKET, cache: { ttl: '1h' } }] }));

  // Scraped while the reads run, and after each batch.
  let peak = 0;
  let scrapes = 0;
  let reading = true;
  const scraper = (async () => {
    while (reading) {
      peak = Math.max(peak, memoryBytes(await p.metrics()));
      scrapes++;
    }
  })();
  for (let i = 0; i < OBJECTS; i += AT_ONCE) {
    const batch = await Promise.all(bodies.slice(i, i + AT_ONCE).map((_, j) => p.get(`/m/obj-${i + j}.bin`)));
    for (const [j, res] of batch.entries()) {
      assert.equal(res.status, 200);
      assert.equal(res.headers['x-cache'], 'MISS');
      assert.equal(sha256Hex(res.body), sha256Hex(bodies[i + j]!), `obj-${i + j}.bin intact`);
    }
    peak = Math.max(peak, memoryBytes(await p.metrics()));
  }
  reading = false;
  await scraper;
  t.diagnostic(`peak memory store bytes ${peak} over ${scrapes} scrapes during the reads (maxSize ${MAX})`);
  assert.ok(peak <= MAX, `memory store held ${peak} bytes, over maxSize ${MAX}`);
  assert.ok(peak > MAX / 2, `the store was used (peak ${peak})`);

  const m = await p.metrics();
  const evictions = value(m, 'origin_signer_cache_evictions_total', { store: 'memory' }) ?? 0;
  const entries = value(m, 'origin_signer_cache_entries', { store: 'memory' }) ?? 0;
  assert.ok(entries >= 1 && entries <= MAX / (512 * KiB), `${entries} entries kept`);
  assert.ok(evictions >= OBJECTS - entries, `${evictions} evictions counted for ${OBJECTS} objects, ${entries} kept`);

  // The last object read is still kept; the first was evicted long ago and goes back to the store.
  const before = origin.requests.length;
  const last = await p.get(`/m/obj-${OBJECTS - 1}.bin`);
  assert.equal(last.headers['x-cache'], 'HIT');
  assert.equal(origin.requests.length, before);
  const first = await p.get('/m/obj-0.bin');
  assert.equal(first.headers['x-cache'], 'MISS');
  assert.equal(sha256Hex(first.body), sha256Hex(bodies[0]!));
  assert.equal(originGets(origin, 'obj-0.bin').length, 2, 'the evicted object was read from the store again');
  assert.ok(memoryBytes(await p.metrics()) <= MAX);
});

test('an object over memory.maxObjectSize is served whole, passes by the cache and is not kept', async (t) => {
  const origin = await startOrigin(t);
  const big = randomBytes(1536 * KiB);
  await origin.putObject(BUCKET, 'big.bin', big);
  const stores = { memory: { maxSize: '4MiB', maxObjectSize: '1MiB' } };
  const p = await startShieldProxy(t, shieldConfig(origin.port, { stores, blocks: [{ path: '/m/', bucket: BUCKET, cache: { ttl: '1h' } }] }));

  for (let i = 0; i < 3; i++) {
    const before = originGets(origin, 'big.bin').length;
    const res = await p.get('/m/big.bin');
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-cache'], 'MISS');
    assert.equal(res.headers['content-length'], String(big.length));
    assert.equal(sha256Hex(res.body), sha256Hex(big));
    assert.ok(originGets(origin, 'big.bin').length > before, `read ${i + 1} went to the store`);
    const m = await p.metrics();
    assert.equal(value(m, 'origin_signer_cache_entries', { store: 'memory' }), 0, 'nothing kept');
    assert.equal(memoryBytes(m), 0, 'no bytes held once the read is over');
  }
});

test('an object that fits is kept: one over half of maxSize, and fills that end side by side', async (t) => {
  // A fill's reservation becomes the entry it keeps: it must not also count against that entry.
  const origin = await startOrigin(t);
  const large = randomBytes(3 * MiB);
  const mids = [0, 1, 2].map(() => randomBytes(MiB - 16 * KiB));
  await origin.putObject(BUCKET, 'large.bin', large);
  for (const [i, b] of mids.entries()) await origin.putObject(BUCKET, `mid-${i}.bin`, b);
  const stores = { memory: { maxSize: '4MiB', maxObjectSize: '4MiB' } };
  const p = await startShieldProxy(t, shieldConfig(origin.port, { stores, blocks: [{ path: '/m/', bucket: BUCKET, cache: { ttl: '1h' } }] }));

  assert.equal((await p.get('/m/large.bin')).headers['x-cache'], 'MISS');
  const again = await p.get('/m/large.bin');
  assert.equal(again.headers['x-cache'], 'HIT', 'a 3 MiB object is kept in a 4 MiB store');
  assert.equal(sha256Hex(again.body), sha256Hex(large));

  // Three fills at once (3 MiB reserved): each is kept as it ends, the large entry evicted for them.
  const first = await Promise.all(mids.map((_, i) => p.get(`/m/mid-${i}.bin`)));
  assert.deepEqual(first.map((r) => r.headers['x-cache']), ['MISS', 'MISS', 'MISS']);
  const before = origin.requests.length;
  const hits = await Promise.all(mids.map((_, i) => p.get(`/m/mid-${i}.bin`)));
  assert.deepEqual(hits.map((r) => r.headers['x-cache']), ['HIT', 'HIT', 'HIT']);
  for (const [i, r] of hits.entries()) assert.equal(sha256Hex(r.body), sha256Hex(mids[i]!));
  assert.equal(origin.requests.length, before);
  assert.ok(memoryBytes(await p.metrics()) <= 4 * MiB);
});

test('an object refused for want of room while other fills hold the memory is cached once there is room', async (t) => {
  // "Too large" is remembered (reads pass by for a while) only for an object over maxObjectSize.
  const origin = await startOrigin(t);
  const gate = await startGate(t, origin.port);
  const bodies = Array.from({ length: 5 }, () => randomBytes(900 * KiB));
  for (const [i, b] of bodies.entries()) await origin.putObject(BUCKET, `seg-${i}.bin`, b);
  const stores = { memory: { maxSize: '4MiB', maxObjectSize: '1MiB' } };
  const p = await startShieldProxy(t, shieldConfig(origin.port, { stores, blocks: [{ path: '/m/', bucket: BUCKET, port: gate.port, cache: { ttl: '1h' } }] }));

  // Five fills at once, their bodies held: four fit in 4 MiB, the fifth viewer passes by the cache.
  gate.holdBodies();
  const reads = bodies.map((_, i) => p.get(`/m/seg-${i}.bin`));
  await waitFor(() => gate.seen === 6, 'four fills and one read past the cache reached the store');
  gate.release();
  const first = await Promise.all(reads);
  for (const [i, r] of first.entries()) assert.equal(sha256Hex(r.body), sha256Hex(bodies[i]!));
  assert.deepEqual(first.map((r) => r.headers['x-cache']), ['MISS', 'MISS', 'MISS', 'MISS', 'MISS']);

  // Each read alone now: whatever was not kept is filled (and evicts the oldest), then a HIT.
  for (const [i, b] of bodies.entries()) {
    let res = await p.get(`/m/seg-${i}.bin`);
    if (res.headers['x-cache'] !== 'HIT') res = await p.get(`/m/seg-${i}.bin`);
    assert.equal(res.headers['x-cache'], 'HIT', `seg-${i}.bin is kept`);
    assert.equal(sha256Hex(res.body), sha256Hex(b));
  }
});
