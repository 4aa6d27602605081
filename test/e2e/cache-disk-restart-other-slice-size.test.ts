// Regression (hunt, 2026-12-07): across a restart on the same disk store with another
// `cache.slice`, slice i of the old size was served as slice i of the new one (wrong bytes in a
// 206 HIT). The slice size is now part of every key of the block.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUCKET, origin as startOrigin } from '../support/origin-client.js';
import { shieldConfig, startShieldProxy } from '../support/shield-e2e.js';

const KiB = 1024;
test('a restart with another slice size on the same disk serves the bytes asked for', { timeout: 60_000 }, async (t) => {
  const origin = await startOrigin(t);
  const body = Buffer.alloc(256 * KiB);
  for (let i = 0; i < body.length; i += 4) body.writeUInt32BE(i, i);
  await origin.putObject(BUCKET, 'v.mp4', body);
  const dir = mkdtempSync(join(tmpdir(), 'hunt-disk-'));
  const cfg = (slice: string) => shieldConfig(origin.port, { stores: { memory: { maxSize: '16MiB' }, disk: { path: dir, maxSize: '64MiB' } }, blocks: [{ path: '/s/', bucket: BUCKET, cache: { ttl: '1h', slice } }] });
  const a = await startShieldProxy(t, cfg('64KiB'));
  assert.ok((await a.get('/s/v.mp4')).body.equals(body));
  await a.close();
  const b = await startShieldProxy(t, cfg('128KiB'));
  const r = await b.get('/s/v.mp4', { range: 'bytes=131072-131079' });
  t.diagnostic(`${r.status} ${r.headers['x-cache']} ${r.headers['content-range']} first word=${r.body.readUInt32BE(0)} (expected 131072)`);
  assert.ok(r.body.equals(body.subarray(131072, 131080)));
});
