// README "Shield cache → Shared tier": three replicas (three processes, each with its own memory)
// missing the same object at once cost one GET at the store — the fleet lock in Redis lets one
// replica fetch while the others wait for its entry. A gate holds the store's answer until every
// replica has its fill under way, so the misses really are simultaneous.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET, CREDS, origin as startOrigin, raw } from '../support/origin-client.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { scrape, sum } from '../support/ops-prom.js';
import { startRedis, redisSkipReason } from '../support/redis.js';
import { startGate } from '../support/shield-e2e.js';
import { storeGets } from '../support/shared-fleet.js';
import { waitFor } from '../support/wait-for.js';

test('three replicas missing the same object at once: exactly one GET at the strict origin', { skip: redisSkipReason(), timeout: 90_000 }, async (t) => {
  const redis = await startRedis(t);
  const origin = await startOrigin(t);
  const gate = await startGate(t, origin.port);
  const body = Buffer.alloc(256 * 1024, 'hot object ');
  for (const key of ['hot.ts', 'warm.ts']) await origin.putObject(BUCKET, key, body, { contentType: 'video/mp2t' });
  const config = {
    server: { host: '127.0.0.1', port: 0 },
    cache: { memory: { maxSize: '64MiB' }, shared: { url: redis.url, lock: '10s' } },
    proxies: [blockFor(gate.port, { path: '/live/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: CREDS, extra: { cache: { ttl: '1h' } } })],
  };
  const fleet = await Promise.all([0, 1, 2].map(() => startProxyCli(t, config)));
  // Connected to Redis (the tier is asked only once it is).
  await waitFor(async () => (await Promise.all(fleet.map(async (p) => sum(await scrape(p.adminUrl), 'origin_signer_cache_shared_up')))).every((v) => v === 1), 'every replica connected to Redis');

  for (const key of ['hot.ts', 'warm.ts']) {
    gate.hold();
    const answers = fleet.map((p) => raw(p.port, { path: `/live/${key}` }));
    // Every replica has its fill under way (one at the gate, the others waiting on the fleet lock).
    await waitFor(async () => (await Promise.all(fleet.map(async (p) => sum(await scrape(p.adminUrl), 'origin_signer_cache_fills_in_progress')))).every((v) => v === 1), `${key}: a fill in progress at every replica`);
    const seen = key === 'hot.ts' ? 1 : 2;
    await waitFor(() => gate.seen >= seen, `${key}: the holder's GET at the gate`);
    // The others wait for it rather than fetching: still one request at the gate a moment later.
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(gate.seen, seen, `${key}: one request reached the gate`);
    gate.release();
    const got = await Promise.all(answers);
    for (const [i, r] of got.entries()) {
      assert.equal(r.status, 200, `replica ${i}: ${r.text.slice(0, 200)}`);
      assert.ok(r.body.equals(body), `replica ${i}: byte-identical`);
    }
    assert.equal(storeGets(origin, key), 1, `${key}: exactly one GET at the origin`);
    const results = got.map((r) => r.headers['x-cache']).sort();
    assert.deepEqual(results, ['COLLAPSED', 'COLLAPSED', 'MISS'], `${key}: X-Cache ${results.join(' ')}`);
  }
  // Afterwards every replica has it in its own memory.
  for (const p of fleet) assert.equal((await raw(p.port, { path: '/live/hot.ts' })).headers['x-cache'], 'HIT');
  assert.equal(storeGets(origin, 'hot.ts'), 1);
});
