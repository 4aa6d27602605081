// Issue #18, Freshness: an expired entry is revalidated with a signed conditional GET carrying the
// stored ETag (If-None-Match). A 304 refreshes the entry — the viewer gets REVALIDATED and the
// stored body, and the store sends no body; a 200 (the object changed) replaces the entry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET, origin as startOrigin } from '../support/origin-client.js';
import { fakeClock, originGets, shieldConfig, startShieldProxy } from '../support/shield-e2e.js';

test('an expired entry is revalidated with If-None-Match: 304 refreshes it, 200 replaces it', async (t) => {
  const clock = fakeClock();
  const origin = await startOrigin(t, { clock: clock.now });
  await origin.putObject(BUCKET, 'seg-1.ts', 'version one\n', { contentType: 'video/mp2t' });
  const config = shieldConfig(origin.port, { blocks: [{ path: '/live/', bucket: BUCKET, cache: { ttl: '10s' } }] });
  const p = await startShieldProxy(t, config, { clock: clock.now });

  const first = await p.get('/live/seg-1.ts');
  assert.equal(first.status, 200);
  assert.equal(first.headers['x-cache'], 'MISS');
  assert.equal(first.text, 'version one\n');
  const etag = first.headers.etag;
  assert.ok(typeof etag === 'string' && etag.length > 2, 'the store gave an ETag');

  clock.advance(5_000);
  const fresh = await p.get('/live/seg-1.ts');
  assert.equal(fresh.headers['x-cache'], 'HIT');
  assert.equal(fresh.headers.age, '5');
  assert.equal(originGets(origin, 'seg-1.ts').length, 1, 'a fresh entry is served without the store');

  // Past the ttl: one conditional GET, signed (the strict origin verified it) and answered 304.
  clock.advance(6_000);
  const before = origin.requests.length;
  const revalidated = await p.get('/live/seg-1.ts');
  assert.equal(revalidated.status, 200);
  assert.equal(revalidated.headers['x-cache'], 'REVALIDATED');
  assert.equal(revalidated.text, 'version one\n');
  assert.equal(revalidated.headers.etag, etag);
  assert.equal(revalidated.headers['content-type'], 'video/mp2t');
  assert.equal(revalidated.headers.age, '0', 'Age counts from the revalidation');
  const conditional = originGets(origin, 'seg-1.ts', before);
  assert.equal(conditional.length, 1, 'one request to the store');
  const rec = origin.requests[before]!;
  assert.equal(rec.method, 'GET');
  assert.equal(rec.headers['if-none-match'], etag, 'If-None-Match is the stored ETag');
  assert.equal(rec.auth, 'v4-header', 'signed');
  assert.equal(rec.status, 304, 'the store sent no body');

  // The refreshed entry is fresh for another ttl: a HIT, nothing at the store.
  clock.advance(9_000);
  const again = await p.get('/live/seg-1.ts');
  assert.equal(again.headers['x-cache'], 'HIT');
  assert.equal(again.text, 'version one\n');
  assert.equal(origin.requests.length, before + 1);

  // The object changes; once the entry expires the conditional GET gets 200 and the new body.
  await origin.putObject(BUCKET, 'seg-1.ts', 'version two, longer\n', { contentType: 'video/mp2t' });
  clock.advance(2_000);
  const changedAt = origin.requests.length;
  const changed = await p.get('/live/seg-1.ts');
  assert.equal(changed.status, 200);
  assert.equal(changed.text, 'version two, longer\n');
  assert.equal(changed.headers['x-cache'], 'MISS', 'a new body, as on a miss');
  assert.notEqual(changed.headers.etag, etag);
  const rec2 = origin.requests[changedAt]!;
  assert.equal(rec2.headers['if-none-match'], etag, 'revalidated with the old ETag');
  assert.equal(rec2.status, 200, 'the store sent the new object');

  // The new answer replaced the entry: served from the cache with its own ETag.
  const replaced = await p.get('/live/seg-1.ts');
  assert.equal(replaced.headers['x-cache'], 'HIT');
  assert.equal(replaced.text, 'version two, longer\n');
  assert.equal(replaced.headers.etag, changed.headers.etag);
  assert.equal(replaced.headers['content-length'], String('version two, longer\n'.length));
  assert.equal(origin.requests.length, changedAt + 1);
});
