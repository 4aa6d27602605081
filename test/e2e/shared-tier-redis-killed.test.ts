// README "Shield cache → Shared tier", failures: Redis killed mid-test. Every request keeps
// succeeding from the replica's memory and the store, one warning is logged (not one per request),
// /readyz stays 200 with the tier's state in its detail, the metrics count the errors; once Redis
// is back the replica uses it again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET } from '../support/origin-client.js';
import { sum } from '../support/ops-prom.js';
import { startRedis, redisSkipReason } from '../support/redis.js';
import { replicas, sharedConfig, sharedOrigin, storeGets } from '../support/shared-fleet.js';
import { waitFor } from '../support/wait-for.js';

const sharedLines = (logs: Record<string, unknown>[], level: string): Record<string, unknown>[] => logs.filter((l) => l.level === level && String(l.msg).includes('shared cache'));

test('Redis killed mid-test: requests keep succeeding, one warning, /readyz 200 with the detail, errors counted', { skip: redisSkipReason(), timeout: 60_000 }, async (t) => {
  const redis = await startRedis(t);
  const origin = await sharedOrigin(t);
  for (let i = 0; i < 8; i++) await origin.putObject(BUCKET, `seg-${i}.ts`, `segment ${i}\n`);
  const [a] = await replicas(t, 1, sharedConfig(origin.port, redis.url));
  assert.equal((await a!.get('/live/seg-0.ts')).headers['x-cache'], 'MISS');
  await waitFor(() => redis.cli('--scan', '--pattern', 'origin-signer:1:e:*') !== '', 'the entry in Redis');

  await redis.kill();
  const started = Date.now();
  for (let i = 0; i < 8; i++) {
    for (let n = 0; n < 3; n++) {
      const r = await a!.get(`/live/seg-${i}.ts`);
      assert.equal(r.status, 200, `seg-${i} read ${n}: ${r.text}`);
      assert.equal(r.text, `segment ${i}\n`);
      assert.equal(r.headers['x-cache'], i === 0 || n > 0 ? 'HIT' : 'MISS', `seg-${i} read ${n}`);
    }
    assert.equal(storeGets(origin, `seg-${i}.ts`), 1, `seg-${i}: one GET`);
  }
  assert.ok(Date.now() - started < 3000, `24 reads took ${Date.now() - started} ms`);

  await waitFor(() => sharedLines(a!.logs, 'warn').length > 0, 'the warning');
  assert.equal(sharedLines(a!.logs, 'warn').length, 1, JSON.stringify(sharedLines(a!.logs, 'warn')));
  const ready = await fetch(`${a!.adminUrl}/readyz`);
  assert.equal(ready.status, 200, 'still ready');
  const report = (await ready.json()) as { checks: Record<string, { ok: boolean; detail?: string }> };
  assert.equal(report.checks['cache.shared']?.ok, true);
  assert.match(report.checks['cache.shared']?.detail ?? '', /^127\.0\.0\.1:\d+\/0 unavailable since .*; serving from local stores and the bucket$/);
  const m = await a!.metrics();
  assert.ok(sum(m, 'origin_signer_cache_shared_errors_total') >= 1, 'errors counted');
  assert.equal(sum(m, 'origin_signer_cache_shared_up'), 0);

  // Back on the same port: the replica reconnects by itself, says so once, and shares again.
  await startRedis(t, { port: redis.port });
  await waitFor(async () => sum(await a!.metrics(), 'origin_signer_cache_shared_up') === 1, 'reconnected', 15_000);
  await origin.putObject(BUCKET, 'after.ts', 'after\n');
  assert.equal((await a!.get('/live/after.ts')).headers['x-cache'], 'MISS');
  await waitFor(() => redis.cli('--scan', '--pattern', 'origin-signer:1:e:*') !== '', 'shared again');
  assert.equal(sharedLines(a!.logs, 'warn').length, 1, 'still the one warning');
});
