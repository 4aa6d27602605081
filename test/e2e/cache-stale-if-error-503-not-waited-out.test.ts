// Regression: a revalidation the store answered 503 (SlowDown) went through the block's retry
// backoff before its stale copy was served — staleIfError's viewer waited seconds for an answer
// the cache already had. With a stale copy that may stand in, the 503 is now the outcome at once
// (connection errors are still retried at once); without one, the 503 is retried as before. So
// that a store saying SlowDown is not then asked once per viewer, the stale copy answers without
// asking it again for the block's retry.baseDelay. A relay between the proxy and the strict
// origin answers 503 when told.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET, origin as startOrigin } from '../support/origin-client.js';
import { SLOW_DOWN, startRelay } from '../support/ops-relay.js';
import { fakeClock, shieldConfig, startShieldProxy } from '../support/shield-e2e.js';

// Retries whose backoff would show: without the fix the STALE answer waits for both.
// Two slices and a bit: the sliced block's revalidation is its first slice's probe.
const BODY = 'the segment\n'.repeat(12_000);
const RETRY = { retry: { attempts: 2, baseDelay: 0.3, maxDelay: 1 } };

for (const [name, cache] of [
  ['whole objects', { ttl: '10s', staleIfError: '1m' }],
  ['slices', { ttl: '10s', staleIfError: '1m', slice: '64KiB' }],
] as const) {
  test(`${name}: a 503 to the revalidation serves the stale copy without retrying, and without asking again for retry.baseDelay; with no copy to stand in, it is retried`, { timeout: 60_000 }, async (t) => {
    const clock = fakeClock();
    const origin = await startOrigin(t, { clock: clock.now });
    await origin.putObject(BUCKET, 'seg.ts', BODY);
    const relay = await startRelay(t, origin.port);
    const block = { path: '/sie/', bucket: BUCKET, port: relay.port, cache, extra: RETRY };
    const p = await startShieldProxy(t, shieldConfig(origin.port, { blocks: [block] }), { clock: clock.now });
    assert.equal((await p.get('/sie/seg.ts')).headers['x-cache'], 'MISS');

    clock.advance(15_000);
    const staleAsking = async (what: string, asked: number[]): Promise<void> => {
      relay.script.length = 0;
      relay.script.push(SLOW_DOWN, SLOW_DOWN, SLOW_DOWN);
      const before = relay.seen.length;
      const stale = await p.get('/sie/seg.ts');
      assert.equal(stale.status, 200, what);
      assert.equal(stale.headers['x-cache'], 'STALE', what);
      assert.equal(stale.text, BODY, what);
      assert.deepEqual(relay.seen.slice(before).map((r) => r.status), asked, what);
    };
    await staleAsking('one revalidation, answered 503, not retried', [503]);
    await staleAsking('within retry.baseDelay of that failure the store is not asked', []);
    clock.advance(299);
    await staleAsking('still within it', []);
    clock.advance(1);
    await staleAsking('past it, the store is asked again', [503]);

    // Past staleIfError there is no copy to stand in: the 503 is retried, and the last passed on.
    clock.advance(60_000);
    relay.script.length = 0;
    relay.script.push(SLOW_DOWN, SLOW_DOWN, SLOW_DOWN);
    const before = relay.seen.length;
    const late = await p.get('/sie/seg.ts');
    assert.equal(late.status, 503);
    assert.match(late.text, /<Code>SlowDown<\/Code>/);
    assert.deepEqual(relay.seen.slice(before).map((r) => r.status), [503, 503, 503], 'the first try and two retries');
  });
}
