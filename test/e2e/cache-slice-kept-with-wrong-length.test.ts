// Regression: a slice kept on disk with another length than its place in the object says (left
// by an older version, before slices were checked on arrival) was served as it was: the answer
// was cut short of its Content-Length. A kept slice is now checked when read; one of the wrong
// length is taken as "the object changed": the object is dropped and learnt afresh from the store.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import cacache from 'cacache';
import { openDiskStore } from '../../src/cache/disk-store.js';
import { BUCKET, origin as startOrigin } from '../support/origin-client.js';
import { originGets, shieldConfig, startShieldProxy } from '../support/shield-e2e.js';
import { capturedLog } from '../support/disk-store-helpers.js';

const KiB = 1024;

test('a kept slice of the wrong length is not served: the object is fetched again', { timeout: 60_000 }, async (t) => {
  const origin = await startOrigin(t);
  const body = Buffer.alloc(3 * 64 * KiB);
  for (let i = 0; i < body.length; i += 4) body.writeUInt32BE(i, i);
  await origin.putObject(BUCKET, 'v.mp4', body);
  const dir = mkdtempSync(join(tmpdir(), 'slice-length-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cfg = shieldConfig(origin.port, { stores: { memory: { maxSize: '16MiB' }, disk: { path: dir, maxSize: '64MiB' } }, blocks: [{ path: '/s/', bucket: BUCKET, cache: { ttl: '1h', slice: '64KiB' } }] });
  const a = await startShieldProxy(t, cfg);
  assert.ok((await a.get('/s/v.mp4')).body.equals(body));
  await a.close();

  // The middle slice, as an older version might have kept it: 1000 bytes short.
  const keys = Object.keys(await cacache.ls(dir));
  const middle = keys.find((k) => k.endsWith('#1'));
  assert.ok(middle, `a kept middle slice among ${JSON.stringify(keys)}`);
  const disk = await openDiskStore({ path: dir, maxBytes: 64 * 1024 * KiB, log: capturedLog().log, clock: Date.now });
  const entry = await disk.get(middle);
  assert.ok(entry);
  await disk.put(middle, { ...entry, body: entry.body.subarray(0, entry.body.length - 1000) });
  await disk.close();

  const b = await startShieldProxy(t, cfg);
  const before = origin.requests.length;
  const whole = await b.get('/s/v.mp4');
  assert.equal(whole.status, 200);
  assert.ok(whole.body.equals(body), `the object's bytes (got ${whole.body.length} of ${body.length})`);
  assert.ok(originGets(origin, 'v.mp4', before).length > 0, 'the store was asked again');
  const ranged = await b.get('/s/v.mp4', { range: `bytes=${64 * KiB}-${128 * KiB - 1}` });
  assert.equal(ranged.status, 206);
  assert.ok(ranged.body.equals(body.subarray(64 * KiB, 128 * KiB)));
});
