// README "Shield cache → Shared tier": deployments kept apart by Redis database number
// (redis://…/0 and redis://…/1) share no entries, and now no pub/sub either. Redis pub/sub spans
// the whole server whatever the database, so one deployment's purge used to drop the other's
// own copies (and its fills' ends woke the other's waiters); the channel now names the database.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET } from '../support/origin-client.js';
import { redisSkipReason, startRedis } from '../support/redis.js';
import { replicas, sharedConfig, sharedOrigin } from '../support/shared-fleet.js';
import type { ShieldProxy } from '../support/shield-e2e.js';
import { waitFor } from '../support/wait-for.js';

const purge = (p: ShieldProxy, body: object): Promise<Response> =>
  fetch(`${p.adminUrl}/cache/purge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const held = (p: ShieldProxy): number => (p.proxy.cacheStats().body as { memory: { entries: number } }).memory.entries;

test("a purge in the database-0 fleet leaves the database-1 fleet's copies alone", { skip: redisSkipReason(), timeout: 30_000 }, async (t) => {
  const redis = await startRedis(t);
  const origin = await sharedOrigin(t);
  for (const k of ['x.ts', 'y.ts']) await origin.putObject(BUCKET, k, k);
  const [staging] = await replicas(t, 1, sharedConfig(origin.port, redis.url));
  const db1 = redis.url.replace(/\/0$/, '/1');
  assert.notEqual(db1, redis.url);
  const [prod, prod2] = await replicas(t, 2, sharedConfig(origin.port, db1));
  for (const k of ['x.ts', 'y.ts']) assert.equal((await prod!.get(`/live/${k}`)).status, 200);
  assert.equal(held(prod!), 2);

  assert.equal((await purge(staging!, { block: '/live/' })).status, 200);
  // Then a purge of one key in prod's own fleet: once prod has dropped it, it has heard (in
  // order, from the one server) whatever staging's purge sent it.
  assert.equal((await purge(prod2!, { block: '/live/', key: 'y.ts' })).status, 200);
  await waitFor(() => held(prod!) < 2, "prod dropped y.ts on its own fleet's word");
  assert.equal(held(prod!), 1, "x.ts is still held: staging's purge never reached prod");
  assert.equal((await prod!.get('/live/x.ts')).headers['x-cache'], 'HIT');
});
