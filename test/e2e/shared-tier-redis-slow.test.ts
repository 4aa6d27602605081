// README "Shield cache → Shared tier", failures: a slow Redis (a relay in front of it holding
// every chunk for 4 s). Every Redis command is bounded by cache.shared.timeout (200 ms), and a
// tier that timed out is set aside for a while: each request is served within the timeout plus
// the store's own time, never after Redis's answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET } from '../support/origin-client.js';
import { sum } from '../support/ops-prom.js';
import { startDelayingRelay, startRedis, redisSkipReason } from '../support/redis.js';
import { replicas, sharedConfig, sharedOrigin, storeGets } from '../support/shared-fleet.js';
import { waitFor } from '../support/wait-for.js';

const TIMEOUT_MS = 200;
/**
 * The store and the proxy's own work (this process is the test, the proxy, the relay and the
 * store), generously: on a busy machine a request took up to 1.2 s on its own (the first one
 * cold). Well under REDIS_MS, so a request that waited for Redis's answer still fails.
 */
const STORE_MS = 2000;
/** How long the relay holds every chunk: Redis's answers come this late. */
const REDIS_MS = 4000;

test('a slow Redis: every request is served within timeout + store time', { skip: redisSkipReason(), timeout: 60_000 }, async (t) => {
  const redis = await startRedis(t);
  const relay = await startDelayingRelay(t, redis.port);
  const origin = await sharedOrigin(t);
  const N = 12;
  for (let i = 0; i < N; i++) await origin.putObject(BUCKET, `obj-${i}.ts`, `object ${i}\n`);
  const [a] = await replicas(t, 1, sharedConfig(origin.port, `redis://127.0.0.1:${relay.port}/0`, { shared: { timeout: `${TIMEOUT_MS}ms` } }));

  relay.delay(REDIS_MS);
  const times: number[] = [];
  // Spread over ~4 s: the tier is asked again after each 1 s, 2 s … set-aside, and times out again.
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const r = await a!.get(`/live/obj-${i}.ts`);
    times.push(Math.round(performance.now() - t0));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.text, `object ${i}\n`);
    assert.equal(storeGets(origin, `obj-${i}.ts`), 1);
    await new Promise((res) => setTimeout(res, 300));
  }
  t.diagnostic(`request times (ms): ${times.join(' ')}`);
  for (const [i, ms] of times.entries()) assert.ok(ms < TIMEOUT_MS + STORE_MS, `request ${i} took ${ms} ms`);
  assert.ok(times.some((ms) => ms >= TIMEOUT_MS - 20), 'at least one request waited for the tier (and gave up at the timeout)');

  const warnings = a!.logs.filter((l) => l.level === 'warn' && String(l.msg).includes('shared cache'));
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  assert.match(String(warnings[0]!.reason), /timed out/i);
  assert.ok(sum(await a!.metrics(), 'origin_signer_cache_shared_errors_total') >= 2);
  const ready = await fetch(`${a!.adminUrl}/readyz`);
  assert.equal(ready.status, 200);

  // Fast again: the tier is used again once it answers in time.
  relay.delay(0);
  let n = 0;
  await waitFor(async () => {
    await origin.putObject(BUCKET, `late-${n}.ts`, 'late\n');
    assert.equal((await a!.get(`/live/late-${n++}.ts`)).status, 200);
    return sum(await a!.metrics(), 'origin_signer_cache_shared_up') === 1;
  }, 'the tier answers again', 20_000);
});
