// Issue #22, presigned redirect mode: a viewer GET/HEAD (after the access rules) gets 307 to a
// freshly presigned URL that the strict origin accepts, kept privately no longer than it lives;
// nothing is fetched by the proxy; `check` refuses redirect mode with writes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { raw } from '../support/origin-client.js';
import { binPath } from '../support/paths.js';
import { blockFor, startProxyCli, writeConfig } from '../support/proxy-cli.js';

const BUCKET = 'redirect-bucket';
const KEYS = { accessKeyId: 'AKIDREDIRECTMODE001', secretAccessKey: 'redirect/mode+secret=0123456789' };
const SECRET = 'cdn-secret-value-0123';

test('redirect mode: 307 to a presigned URL the store accepts, access rules first', async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'dir/a b.mp4', 'movie bytes');
  const base = (version: 'v4' | 'v2', path: string) => {
    const b = blockFor(origin.port, { path, bucket: BUCKET, version, mode: 'query', addressing: 'path', credentials: KEYS });
    return { ...b, signing: { version, mode: 'redirect', expires: 60 }, access: { requireHeader: { name: 'x-cdn-secret', values: [SECRET] } } };
  };
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [base('v4', '/r4/'), base('v2', '/r2/')] });
  for (const prefix of ['/r4/', '/r2/']) {
    const denied = await raw(proxy.port, { path: `${prefix}dir/a%20b.mp4` });
    assert.equal(denied.status, 403, 'the access rules run first');
    assert.equal(denied.headers.location, undefined);
    for (const method of ['GET', 'HEAD']) {
      const before = origin.requests.length;
      const res = await raw(proxy.port, { method, path: `${prefix}dir/a%20b.mp4?cb=1`, headers: { 'x-cdn-secret': SECRET } });
      assert.equal(res.status, 307, `${prefix} ${method}`);
      assert.equal(res.headers['cache-control'], 'private, max-age=60');
      const location = new URL(String(res.headers.location));
      assert.equal(origin.requests.length, before, 'the proxy itself fetched nothing');
      assert.ok(location.search.includes(prefix === '/r4/' ? 'X-Amz-Signature=' : 'Signature='), location.search);
      assert.ok(!location.search.includes('cb='), 'dropped parameters stay dropped');
      // The viewer follows it to the store, which verifies the presigned signature.
      const direct = await raw(Number(location.port), { method, path: `${location.pathname}${location.search}`, headers: { host: location.host } });
      assert.equal(direct.status, 200, direct.text.slice(0, 300));
      if (method === 'GET') assert.equal(direct.text, 'movie bytes');
    }
  }
});

test('check refuses redirect mode with writes, a cache or SSE-C', () => {
  const file = writeConfig({
    proxies: [
      { path: '/w/', upstream: { bucket: BUCKET, region: 'us-east-1' }, credentials: KEYS, signing: { mode: 'redirect' }, methods: ['GET', 'PUT'], cache: {} },
      { path: '/s/', upstream: { bucket: BUCKET, region: 'us-east-1', sse: { customerKey: Buffer.alloc(32, 7).toString('base64') } }, credentials: KEYS, signing: { mode: 'redirect' } },
    ],
  });
  const r = spawnSync(binPath, ['check', file], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stdout);
  for (const path of ['proxies[0].methods', 'proxies[0].cache', 'proxies[1].upstream.sse']) assert.ok(r.stderr.includes(`${path}:`), `${path} in\n${r.stderr}`);
  assert.ok(!r.stderr.includes(Buffer.alloc(32, 7).toString('base64')), 'the SSE-C key is never shown');
});
