// README "Shield cache → Admin API": POST /cache/purge drops one key (every variant), a prefix or a
// whole block, and the next read goes to the store again; GET /cache/stats says what is held.
// With server.workers: 2 every worker's memory store is purged (each has its own).
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { startStrictOrigin, type StrictOrigin } from '@origin-signer/strict-origin';
import { raw } from '../support/origin-client.js';
import { blockFor, startProxyCli, type ProxyProcess } from '../support/proxy-cli.js';

const BUCKET = 'purge-bucket';
const KEYS = { accessKeyId: 'AKIDCACHEPURGE00001', secretAccessKey: 'cache/purge+secret=0123456789' };
const OBJECTS = ['a/one.ts', 'a/two.ts', 'b/three.ts'];

async function fixture(t: TestContext, workers = 1): Promise<{ origin: StrictOrigin; proxy: ProxyProcess }> {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  for (const k of OBJECTS) await origin.putObject(BUCKET, k, `body of ${k}`);
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0, workers },
    cache: { memory: { maxSize: '16MiB' } },
    proxies: [blockFor(origin.port, { path: '/live/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS, extra: { cache: { ttl: '1h' } } })],
  });
  return { origin, proxy };
}

const getsAtOrigin = (origin: StrictOrigin, key: string): number => origin.requests.filter((r) => r.method === 'GET' && r.url.includes(key)).length;

async function admin(proxy: ProxyProcess, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${proxy.adminUrl}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function xcache(proxy: ProxyProcess, key: string): Promise<string | undefined> {
  const res = await raw(proxy.port, { path: `/live/${key}` });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.text, `body of ${key}`);
  return res.headers['x-cache'] as string | undefined;
}

test('a purge of a key, a prefix and a block: the next read is a miss; stats count the entries', async (t) => {
  const { origin, proxy } = await fixture(t);
  for (const k of OBJECTS) assert.equal(await xcache(proxy, k), 'MISS');
  for (const k of OBJECTS) assert.equal(await xcache(proxy, k), 'HIT');
  const stats = await admin(proxy, 'GET', '/cache/stats');
  assert.equal(stats.status, 200);
  const [worker] = stats.json.workers as Array<{ memory: { entries: number; bytes: number } }>;
  assert.equal(worker!.memory.entries, 3);
  assert.ok(worker!.memory.bytes > 0);

  assert.deepEqual(await admin(proxy, 'POST', '/cache/purge', { block: '/live/', key: 'a/one.ts' }), { status: 200, json: { purged: 1 } });
  assert.equal(await xcache(proxy, 'a/one.ts'), 'MISS');
  assert.equal(await xcache(proxy, 'a/two.ts'), 'HIT', 'only that key');
  assert.equal(getsAtOrigin(origin, 'a/one.ts'), 2);

  assert.deepEqual(await admin(proxy, 'POST', '/cache/purge', { block: '/live/', prefix: 'a/' }), { status: 200, json: { purged: 2 } });
  assert.equal(await xcache(proxy, 'a/two.ts'), 'MISS');
  assert.equal(await xcache(proxy, 'b/three.ts'), 'HIT', 'outside the prefix');

  const all = await admin(proxy, 'POST', '/cache/purge', { block: '/live/' });
  assert.equal(all.status, 200);
  assert.equal(all.json.purged, 2, 'a/two.ts and b/three.ts were held');
  for (const k of OBJECTS) assert.equal(await xcache(proxy, k), 'MISS');
});

test('a purge that names no cached block, or both key and prefix, is a 400 with a reason', async (t) => {
  const { proxy } = await fixture(t);
  for (const body of [{}, { block: '/nope/' }, { block: '/live/', key: 'a', prefix: 'b' }, { block: '/live/', key: 7 }, { block: '/live/', key: '' }]) {
    const r = await admin(proxy, 'POST', '/cache/purge', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(typeof r.json.error, 'string');
  }
});

test('with two workers, a purge reaches every worker', async (t) => {
  const { proxy } = await fixture(t, 2);
  // Fresh connections are spread round-robin: enough reads make both workers keep the object.
  for (let i = 0; i < 8; i++) await xcache(proxy, 'a/one.ts');
  const stats = await admin(proxy, 'GET', '/cache/stats');
  const workers = stats.json.workers as Array<{ pid: number; memory: { entries: number } }>;
  assert.equal(workers.length, 2);
  assert.ok(workers.every((w) => w.memory.entries === 1), JSON.stringify(workers));
  const purged = await admin(proxy, 'POST', '/cache/purge', { block: '/live/', key: 'a/one.ts' });
  assert.deepEqual(purged, { status: 200, json: { purged: 2 } });
  for (let i = 0; i < 4; i++) assert.equal(await xcache(proxy, 'a/one.ts'), i < 2 ? 'MISS' : 'HIT', `read ${i}`);
});
