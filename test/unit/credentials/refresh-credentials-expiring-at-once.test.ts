// A source answering credentials that expire a few milliseconds from now (a broken endpoint, a
// clock far ahead of the source's): each fetch "succeeded", so the refresh was scheduled again at
// half their lifetime — hundreds of endpoint calls a second, no backoff — and requests were signed
// with keys that would be expired on arrival. Such an answer is now a failed refresh: never handed
// out, retried on the backoff.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RefreshingCredentialProvider } from '../../../src/credentials/refreshing-provider.js';
import { OriginSignerError } from '../../../src/errors.js';
import { createLogger } from '../../../src/log/logger.js';

const T0 = Date.parse('2026-12-07T12:00:00Z');

test('credentials expiring 5 ms after they are fetched: a failure retried on the backoff, not a refresh loop', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: T0 });
  let calls = 0;
  const provider = new RefreshingCredentialProvider(
    'box-role',
    async () => {
      calls++;
      return { accessKeyId: `ASIAATONCE${String(calls).padStart(6, '0')}`, secretAccessKey: 'at-once/SECRET', sessionToken: 'at-once/TOKEN', expiration: new Date(Date.now() + 5) };
    },
    { clock: () => Date.now(), random: () => 0.5, refreshBeforeMs: 300_000, log: createLogger('silent') },
  );
  t.after(() => provider.close());
  await provider.start();
  const handedOut: string[] = [];
  // One second of viewers, a request every millisecond.
  for (let ms = 0; ms < 1000; ms++) {
    t.mock.timers.tick(1);
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    await provider.get().then(
      (c) => void handedOut.push(c.accessKeyId),
      (err: unknown) => assert.ok(err instanceof OriginSignerError && err.code === 'OS_ERR_CREDENTIALS_UNAVAILABLE', String(err)),
    );
  }
  assert.ok(calls <= 3, `${calls} endpoint calls in one second`);
  assert.deepEqual(handedOut, [], 'keys with 5 ms left were handed out to sign');
  const state = provider.state();
  assert.equal(state.valid, false);
  assert.match(state.lastError ?? '', /less than 1000 ms from now/);
});
