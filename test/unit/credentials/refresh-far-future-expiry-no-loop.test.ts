// Regression (hunt, 2026-12-07): credentials expiring more than ~24.8 days ahead (a 30-day
// AWS_CREDENTIAL_EXPIRATION, say) were refreshed in a loop — about 800 fetches a second — because
// Node fires a setTimeout longer than 2^31 − 1 ms after 1 ms. Real timers here: one fetch, then
// quiet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RefreshingCredentialProvider } from '../../../src/credentials/refreshing-provider.js';
import { createLogger } from '../../../src/log/logger.js';

test('credentials that expire in 60 days are fetched once, not in a loop', async (t) => {
  let calls = 0;
  const provider = new RefreshingCredentialProvider(
    'long-lived',
    async () => {
      calls++;
      return { accessKeyId: 'ASIALONGLIVED0000001', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date(Date.now() + 60 * 86_400_000) };
    },
    { clock: () => Date.now(), random: () => 0.5, refreshBeforeMs: 5 * 60_000, log: createLogger('silent') },
  );
  t.after(() => provider.close());
  process.on('warning', (w) => assert.notEqual(w.name, 'TimeoutOverflowWarning', w.message));
  await provider.start();
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(calls, 1);
  assert.ok(provider.current(), 'the credentials are in use');
});
