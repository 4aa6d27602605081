// README "Shield cache": writes invalidate, in every worker. With server.workers > 1 each worker
// has its own memory store; a PUT or DELETE dropped the cached copy only in the worker that
// handled it, and the others served the old object (HIT) until its ttl. The worker now tells the
// primary, which tells every other worker, as a purge already reached each of them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { raw } from '../support/origin-client.js';
import { blockFor, startProxyCli, type ProxyProcess } from '../support/proxy-cli.js';
import { waitFor } from '../support/wait-for.js';

const BUCKET = 'workers-write';
const KEYS = { accessKeyId: 'AKIDWORKERSWRITE001', secretAccessKey: 'workers/write+secret=0123456789' };

/** Entries held by each worker's memory store (GET /cache/stats on the primary's admin listener). */
async function held(proxy: ProxyProcess): Promise<number[]> {
  const r = await fetch(`${proxy.adminUrl}/cache/stats`);
  const { workers } = (await r.json()) as { workers: Array<{ memory: { entries: number } }> };
  return workers.map((w) => w.memory.entries);
}

test('a PUT and a DELETE through one worker: no worker serves the old object', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'k.txt', 'version one');
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0, workers: 2 },
    cache: { memory: { maxSize: '16MiB' } },
    proxies: [blockFor(origin.port, { path: '/live/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS, methods: ['GET', 'HEAD', 'PUT', 'DELETE'], extra: { cache: { ttl: '1h' } } })],
  });
  const read = async (): Promise<string> => {
    const r = await raw(proxy.port, { path: '/live/k.txt' });
    return `${r.status} ${r.text}`;
  };
  // Fresh connections are spread round-robin: read until both workers keep the object.
  await waitFor(async () => (await read()) === '200 version one' && (await held(proxy)).every((n) => n === 1), 'both workers holding k.txt');

  const put = await raw(proxy.port, { method: 'PUT', path: '/live/k.txt', body: 'version two' });
  assert.equal(put.status, 200, put.text);
  const afterPut = [];
  for (let i = 0; i < 8; i++) afterPut.push(await read());
  assert.deepEqual(afterPut, Array(8).fill('200 version two'));

  await waitFor(async () => (await read()) === '200 version two' && (await held(proxy)).every((n) => n === 1), 'both workers holding the new version');
  const del = await raw(proxy.port, { method: 'DELETE', path: '/live/k.txt' });
  assert.equal(del.status, 204, del.text);
  const afterDelete = [];
  for (let i = 0; i < 8; i++) afterDelete.push((await read()).slice(0, 3));
  assert.deepEqual(afterDelete, Array(8).fill('404'));
});
