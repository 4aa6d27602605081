// Issue #18, Freshness: `staleIfError` — once an entry has expired, a store that fails (a 5xx, no
// connection at all, no answer in time) is answered with the stale copy for that long; past it,
// and on a block without staleIfError, the viewer gets the failure as an uncached block would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET, origin as startOrigin } from '../support/origin-client.js';
import { fakeClock, originGets, shieldConfig, startGate, startShieldProxy } from '../support/shield-e2e.js';

const BLOCKS = [
  { path: '/sie/', bucket: BUCKET, cache: { ttl: '10s', staleIfError: '1m' } },
  { path: '/plain/', bucket: BUCKET, cache: { ttl: '10s' } },
];

async function setUp(t: test.TestContext) {
  const clock = fakeClock();
  const origin = await startOrigin(t, { clock: clock.now });
  await origin.putObject(BUCKET, 'seg.ts', 'the segment\n');
  const p = await startShieldProxy(t, shieldConfig(origin.port, { blocks: BLOCKS }), { clock: clock.now });
  for (const block of ['/sie/', '/plain/']) {
    const miss = await p.get(`${block}seg.ts`);
    assert.equal(miss.headers['x-cache'], 'MISS');
    assert.equal(miss.text, 'the segment\n');
  }
  return { clock, origin, p };
}

test('store 500 (InternalError): STALE within staleIfError, the error past it and without it', async (t) => {
  const { clock, origin, p } = await setUp(t);
  origin.setFault(() => 'internal-error-500');

  clock.advance(15_000);
  let before = origin.requests.length;
  const stale = await p.get('/sie/seg.ts');
  assert.equal(stale.status, 200);
  assert.equal(stale.headers['x-cache'], 'STALE');
  assert.equal(stale.text, 'the segment\n');
  assert.equal(stale.headers.age, '15');
  const asked = originGets(origin, 'seg.ts', before);
  assert.equal(asked.length, 1, 'the store was asked');
  assert.equal(origin.requests[before]!.fault, 'internal-error-500');

  // The same failure on a block without staleIfError: the store's error, S3-shaped.
  const plain = await p.get('/plain/seg.ts');
  assert.equal(plain.status, 500);
  assert.match(plain.text, /<Code>InternalError<\/Code>/);
  assert.doesNotMatch(plain.text, /the segment/);

  // Past staleIfError (10 s fresh + 60 s): the error, not the stale copy.
  clock.advance(56_000);
  before = origin.requests.length;
  const late = await p.get('/sie/seg.ts');
  assert.equal(late.status, 500);
  assert.match(String(late.headers['content-type']), /xml/);
  assert.match(late.text, /<Code>InternalError<\/Code>/);
  assert.equal(originGets(origin, 'seg.ts', before).length, 1);

  // The store is well again: the entry is refreshed.
  origin.setFault(undefined);
  const healed = await p.get('/sie/seg.ts');
  assert.equal(healed.status, 200);
  assert.equal(healed.headers['x-cache'], 'REVALIDATED');
  assert.equal(healed.text, 'the segment\n');
});

test('store unreachable (connection refused): STALE within staleIfError, 502 past it and without it', async (t) => {
  const { clock, origin, p } = await setUp(t);
  await origin.close();

  clock.advance(15_000);
  const stale = await p.get('/sie/seg.ts');
  assert.equal(stale.status, 200);
  assert.equal(stale.headers['x-cache'], 'STALE');
  assert.equal(stale.text, 'the segment\n');

  const plain = await p.get('/plain/seg.ts');
  assert.equal(plain.status, 502);
  assert.equal(JSON.parse(plain.text).error, 'OS_ERR_UPSTREAM_UNREACHABLE');

  // Within staleIfError it keeps serving the stale copy, each read trying the store again.
  clock.advance(30_000);
  const stillStale = await p.get('/sie/seg.ts');
  assert.equal(stillStale.headers['x-cache'], 'STALE');
  assert.equal(stillStale.text, 'the segment\n');

  clock.advance(26_000);
  const late = await p.get('/sie/seg.ts');
  assert.equal(late.status, 502);
  assert.equal(JSON.parse(late.text).error, 'OS_ERR_UPSTREAM_UNREACHABLE');
  assert.doesNotMatch(late.text, /the segment/);
});

test('store too slow (pool.headersTimeout): STALE within staleIfError, 504 past it', async (t) => {
  const clock = fakeClock();
  const origin = await startOrigin(t, { clock: clock.now });
  const gate = await startGate(t, origin.port);
  await origin.putObject(BUCKET, 'seg.ts', 'the segment\n');
  // The gate holds the store's answers; the block gives up waiting for them after 200 ms.
  const block = { path: '/sie/', bucket: BUCKET, port: gate.port, cache: { ttl: '10s', staleIfError: '1m' }, extra: { pool: { headersTimeout: 0.2 } } };
  const p = await startShieldProxy(t, shieldConfig(origin.port, { blocks: [block] }), { clock: clock.now });
  assert.equal((await p.get('/sie/seg.ts')).headers['x-cache'], 'MISS');

  gate.hold();
  clock.advance(15_000);
  const stale = await p.get('/sie/seg.ts');
  assert.equal(stale.status, 200);
  assert.equal(stale.headers['x-cache'], 'STALE');
  assert.equal(stale.text, 'the segment\n');
  assert.ok(gate.seen >= 2, 'the store was asked');

  clock.advance(56_000);
  const late = await p.get('/sie/seg.ts');
  assert.equal(late.status, 504);
  assert.equal(JSON.parse(late.text).error, 'OS_ERR_UPSTREAM_TIMEOUT');
  gate.release();
});
