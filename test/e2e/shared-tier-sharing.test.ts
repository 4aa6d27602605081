// README "Shield cache → Shared tier": a second replica's first read of an object another replica
// filled is served from Redis — no request reaches the store — and is then kept in its own memory.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET } from '../support/origin-client.js';
import { startRedis, redisSkipReason } from '../support/redis.js';
import { replicas, sharedConfig, sharedOrigin, storeGets } from '../support/shared-fleet.js';
import { sum } from '../support/ops-prom.js';
import { waitFor } from '../support/wait-for.js';

test('the second replica\'s first read is served from the shared tier: no store request', { skip: redisSkipReason(), timeout: 60_000 }, async (t) => {
  const redis = await startRedis(t);
  const origin = await sharedOrigin(t);
  const body = Buffer.alloc(300 * 1024, 'segment bytes ');
  await origin.putObject(BUCKET, 'ch1/seg-1.ts', body, { contentType: 'video/mp2t' });
  const [a, b] = await replicas(t, 2, sharedConfig(origin.port, redis.url));

  const first = await a!.get('/live/ch1/seg-1.ts');
  assert.equal(first.status, 200);
  assert.equal(first.headers['x-cache'], 'MISS');
  assert.equal(storeGets(origin, 'ch1/seg-1.ts'), 1);

  // The entry reaches Redis when the fill ends (asynchronously): wait until it is listed there.
  await waitFor(() => redis.cli('--scan', '--pattern', 'origin-signer:1:e:*') !== '', 'the entry to reach Redis', 5000, 20);

  const second = await b!.get('/live/ch1/seg-1.ts');
  assert.equal(second.status, 200);
  assert.equal(second.headers['x-cache'], 'HIT', 'a hit in the shared tier');
  assert.ok(second.body.equals(body), 'byte-identical');
  assert.equal(second.headers['content-type'], 'video/mp2t');
  assert.equal(second.headers.etag, first.headers.etag);
  assert.equal(storeGets(origin, 'ch1/seg-1.ts'), 1, 'the second replica sent nothing to the store');
  assert.equal(sum(await b!.metrics(), 'origin_signer_cache_shared_reads_total', { result: 'hit' }), 1);

  // Now in its own memory: served even with Redis gone.
  await redis.kill();
  const third = await b!.get('/live/ch1/seg-1.ts');
  assert.equal(third.headers['x-cache'], 'HIT');
  assert.ok(third.body.equals(body));
  assert.equal(storeGets(origin, 'ch1/seg-1.ts'), 1);
});
