// README "Shield cache → Shared tier": a replica that cannot reach Redis when it drops something
// replays the drop when Redis answers again. One command that timed out sets the tier aside with
// the connection still up, so the reconnect ('ready') that used to trigger the replay never came:
// a write made in that second was queued and never sent, and every replica (the writer too) went
// on serving the old object from Redis until it expired. Now the drop is sent once the set-aside
// time is over, and the writer does not read the tier until it was.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET, raw } from '../support/origin-client.js';
import { redisSkipReason, startDelayingRelay, startRedis } from '../support/redis.js';
import { replicas, sharedConfig, sharedOrigin } from '../support/shared-fleet.js';
import { waitFor } from '../support/wait-for.js';

test('a write while the tier is set aside after a timeout reaches Redis once it answers again', { skip: redisSkipReason(), timeout: 60_000 }, async (t) => {
  const redis = await startRedis(t);
  const relay = await startDelayingRelay(t, redis.port);
  const origin = await sharedOrigin(t);
  await origin.putObject(BUCKET, 'p.m3u8', 'version one\n');
  await origin.putObject(BUCKET, 'other.ts', 'other\n');
  const methods = ['GET', 'HEAD', 'PUT', 'DELETE'];
  // A reaches Redis through the relay, B directly; both wait 1 s for an answer (with the default
  // 200 ms, an answer this busy process was late to read timed out: the entry was never shared).
  const [a] = await replicas(t, 1, sharedConfig(origin.port, `redis://127.0.0.1:${relay.port}/0`, { methods, shared: { timeout: '1s' } }));
  const [b] = await replicas(t, 1, sharedConfig(origin.port, redis.url, { methods, shared: { timeout: '1s' } }));
  const entries = (): string => redis.cli('--scan', '--pattern', 'origin-signer:*:e:*');

  assert.equal((await a!.get('/live/p.m3u8')).text, 'version one\n');
  const shared = await waitFor(() => entries(), 'the entry shared in Redis');
  assert.equal((await b!.get('/live/p.m3u8')).headers['x-cache'], 'HIT', 'B reads it from Redis');

  // One answer slower than the timeout: A sets the tier aside for 1 s; the connection stays up.
  // (It comes before the set-aside second is over: the replayed drop does not wait behind it.)
  relay.delay(1500);
  assert.equal((await a!.get('/live/other.ts')).status, 200);
  relay.delay(0);
  const put = await raw(a!.port, { method: 'PUT', path: '/live/p.m3u8', body: 'version two\n' });
  assert.equal(put.status, 200, put.text);

  // The drop reaches Redis after the set-aside second, and B is told to drop its copy.
  await waitFor(() => !entries().includes(shared), 'the queued drop replayed: the entry gone from Redis', 5000);
  await waitFor(async () => (await b!.get('/live/p.m3u8')).text === 'version two\n', 'B serves the new object', 5000);
  assert.equal((await a!.get('/live/p.m3u8')).text, 'version two\n', 'A (the writer) serves the new object');
});
