// README "Shield cache → Shared tier": a PUT through one replica drops the object from the shared
// tier and from every other replica's own memory (told over Redis pub/sub): the others miss and
// read the new object, where without it they would serve the old one from memory until it expires.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET, raw } from '../support/origin-client.js';
import { startRedis, redisSkipReason } from '../support/redis.js';
import { replicas, sharedConfig, sharedOrigin, storeGets } from '../support/shared-fleet.js';
import { waitFor } from '../support/wait-for.js';

test('a PUT through one replica: the other replicas miss and read the new object', { skip: redisSkipReason(), timeout: 60_000 }, async (t) => {
  const redis = await startRedis(t);
  const origin = await sharedOrigin(t);
  await origin.putObject(BUCKET, 'playlist.m3u8', 'version one\n');
  const [a, b, c] = await replicas(t, 3, sharedConfig(origin.port, redis.url, { methods: ['GET', 'HEAD', 'PUT', 'DELETE'] }));
  const entries = (p: typeof a): number => (p!.proxy.cacheStats().body as { memory: { entries: number } }).memory.entries;

  // Every replica holds version one in its own memory (the first filled it, the others read Redis).
  assert.equal((await a!.get('/live/playlist.m3u8')).headers['x-cache'], 'MISS');
  await waitFor(() => redis.cli('--scan', '--pattern', 'origin-signer:1:e:*') !== '', 'the entry in Redis');
  for (const p of [b, c]) assert.equal((await p!.get('/live/playlist.m3u8')).headers['x-cache'], 'HIT');
  for (const p of [a, b, c]) assert.equal((await p!.get('/live/playlist.m3u8')).text, 'version one\n');
  assert.equal(storeGets(origin, 'playlist.m3u8'), 1);

  const put = await raw(a!.port, { method: 'PUT', path: '/live/playlist.m3u8', body: 'version two\n' });
  assert.equal(put.status, 200, put.text);
  // The others drop their copies when Redis tells them (pub/sub: milliseconds, not a ttl).
  await waitFor(() => entries(b) === 0 && entries(c) === 0, 'the other replicas dropped their copies');
  assert.equal(redis.cli('--scan', '--pattern', 'origin-signer:1:e:*'), '', 'nothing left in Redis');

  const fromB = await b!.get('/live/playlist.m3u8');
  assert.equal(fromB.headers['x-cache'], 'MISS');
  assert.equal(fromB.text, 'version two\n');
  await waitFor(() => redis.cli('--scan', '--pattern', 'origin-signer:1:e:*') !== '', 'the new entry in Redis');
  const fromC = await c!.get('/live/playlist.m3u8');
  assert.equal(fromC.text, 'version two\n');
  assert.equal(fromC.headers['x-cache'], 'HIT', 'C reads what B filled');
  assert.equal((await a!.get('/live/playlist.m3u8')).text, 'version two\n');
  assert.equal(storeGets(origin, 'playlist.m3u8'), 2, 'one GET after the write, for the whole fleet');
});
