// Regression (hunt, 2026-12-07): a reload that changed what a cached block reads kept its entries,
// because the bucket and prefix were the same: 64KiB → 128KiB slices answered a range with another
// range's bytes (206 HIT); turning slices off served a sliced object's bodiless entry as the whole
// object (200 HIT, no bytes, then an abort); re-pointing the block at another access point behind
// the same endpoint served the old bucket's objects. The slice size and the signed Host are now
// part of the block's keys, so such a reload drops them (shield-lifecycle.ts retainBlocks).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { BUCKET, CREDS, origin as startOrigin } from '../support/origin-client.js';
import { shieldConfig, startShieldProxy } from '../support/shield-e2e.js';

const KiB = 1024;
test('a reload to 128KiB slices answers a range with its own bytes', { timeout: 60_000 }, async (t) => {
  const origin = await startOrigin(t);
  const body = Buffer.alloc(256 * KiB);
  for (let i = 0; i < body.length; i += 4) body.writeUInt32BE(i, i); // every 4 bytes hold their own offset
  await origin.putObject(BUCKET, 'v.mp4', body);
  const cfg = (slice: string) => shieldConfig(origin.port, { stores: { memory: { maxSize: '16MiB' } }, blocks: [{ path: '/s/', bucket: BUCKET, cache: { ttl: '1h', slice } }] });
  const p = await startShieldProxy(t, cfg('64KiB'), { file: true });
  const full = await p.get('/s/v.mp4');
  assert.ok(full.body.equals(body));
  writeFileSync(p.file!, stringify(cfg('128KiB')));
  assert.deepEqual(await p.proxy.reload(), { ok: true });
  const r = await p.get('/s/v.mp4', { range: 'bytes=131072-131079' });
  t.diagnostic(`206? ${r.status} ${r.headers['x-cache']} ${r.headers['content-range']} first word=${r.body.length >= 4 ? r.body.readUInt32BE(0) : 'short'} (expected 131072)`);
  assert.equal(r.status, 206);
  assert.ok(r.body.equals(body.subarray(131072, 131080)), 'the bytes of the range asked for');
});

test('a reload that turns slices off serves whole objects', { timeout: 30_000 }, async (t) => {
  const origin = await startOrigin(t);
  const body = Buffer.alloc(200 * 1024, 'x');
  await origin.putObject(BUCKET, 'v.mp4', body);
  const cfg = (cache: Record<string, unknown>) => shieldConfig(origin.port, { stores: { memory: { maxSize: '16MiB' } }, blocks: [{ path: '/s/', bucket: BUCKET, cache }] });
  const p = await startShieldProxy(t, cfg({ ttl: '1h', slice: '64KiB' }), { file: true });
  assert.ok((await p.get('/s/v.mp4')).body.equals(body));
  writeFileSync(p.file!, stringify(cfg({ ttl: '1h' })));
  assert.deepEqual(await p.proxy.reload(), { ok: true });
  const got = await new Promise<{ status: number; xcache: unknown; cl: unknown; bytes: number; how: string }>((resolve) => {
    const req = request({ host: '127.0.0.1', port: p.port, path: '/s/v.mp4', agent: false }, (res) => {
      let bytes = 0;
      const done = (how: string) => resolve({ status: res.statusCode!, xcache: res.headers['x-cache'], cl: res.headers['content-length'], bytes, how });
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => done('end'));
      res.on('aborted', () => done('aborted'));
      res.on('error', () => done('error'));
      setTimeout(() => done('still waiting after 3 s'), 3000);
    });
    req.end();
  });
  t.diagnostic(JSON.stringify(got));
  assert.equal(got.bytes, body.length);
});

const cfg = (port: number, arn: string) => ({
  server: { host: '127.0.0.1', port: 0, admin: { host: '127.0.0.1', port: 0 } },
  log: { level: 'error' },
  cache: { memory: { maxSize: '16MiB' } },
  proxies: [{ path: '/m/', upstream: { accessPoint: arn, endpoint: `http://localhost:${port}` }, credentials: CREDS, cache: { ttl: '1h' } }],
});

test('a reload to another access point behind the same endpoint serves its bucket', { timeout: 60_000 }, async (t) => {
  const origin = await startOrigin(t, { buckets: ['bucket-one', 'bucket-two'] });
  origin.createAccessPoint({ name: 'ap-one', account: '123456789012', region: 'us-east-1', bucket: 'bucket-one' });
  origin.createAccessPoint({ name: 'ap-two', account: '123456789012', region: 'us-east-1', bucket: 'bucket-two' });
  await origin.putObject('bucket-one', 'secret.txt', 'bucket one only');
  await origin.putObject('bucket-two', 'public.txt', 'bucket two');
  const A = 'arn:aws:s3:us-east-1:123456789012:accesspoint/ap-one';
  const B = 'arn:aws:s3:us-east-1:123456789012:accesspoint/ap-two';
  const p = await startShieldProxy(t, cfg(origin.port, A), { file: true });
  assert.equal((await p.get('/m/secret.txt')).text, 'bucket one only');
  writeFileSync(p.file!, stringify(cfg(origin.port, B)));
  assert.deepEqual(await p.proxy.reload(), { ok: true });
  const r = await p.get('/m/secret.txt');
  t.diagnostic(`after reload to ap-two: ${r.status} ${r.headers['x-cache']} ${r.text.slice(0, 80)}`);
  assert.equal(r.status, 404, 'bucket-two has no secret.txt');
});
