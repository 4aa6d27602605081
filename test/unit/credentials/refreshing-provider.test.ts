// README "Credential sources — Refresh": RefreshingCredentialProvider with node:test's mocked
// setTimeout and Date (the provider's clock reads the mocked Date), a hand-made fetcher and a pinned
// `random`. Single flight, the refresh instant and its jitter window, keeping the current set while
// refreshes fail (until expiration − margin), the 503 reason, backoff that doubles and caps, no
// fetch per request within the retry delay, recovery, long-lived keys, already-expired answers.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { RefreshingCredentialProvider, type RefreshOptions } from '../../../src/credentials/refreshing-provider.js';
import { OriginSignerError } from '../../../src/errors.js';
import { createLogger } from '../../../src/log/logger.js';
import type { Credentials } from '../../../src/signing/types.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const MIN = 60_000;
const NAME = 'box-role';

type Outcome = { kind: 'ok'; lifetimeMs?: number; expiresAtOffsetMs?: number; noExpiration?: boolean } | { kind: 'fail'; message: string };

interface Harness {
  provider: RefreshingCredentialProvider;
  /** Credentials handed out so far, in order. */
  issued: Credentials[];
  calls(): number;
  /** What the next fetches do (a function of the call number, 1-based). */
  behave(f: (call: number) => Outcome): void;
  /** Holds the next fetch until `release()` (for concurrency). */
  hold(): { release: () => void };
  logs: Array<Record<string, unknown>>;
  /** Advances the mocked clock in steps, letting promise callbacks (and the timers they set) run. */
  advance(ms: number, step?: number): Promise<void>;
  now(): number;
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function harness(t: TestContext, o: Partial<Omit<RefreshOptions, 'clock' | 'log'>> & { lifetimeMs?: number } = {}): Harness {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: T0 });
  const logs: Array<Record<string, unknown>> = [];
  const log = createLogger('debug', { write: (s: string) => void logs.push(JSON.parse(s) as Record<string, unknown>) });
  const issued: Credentials[] = [];
  let calls = 0;
  let behaviour: (call: number) => Outcome = () => ({ kind: 'ok' });
  let gate: Promise<void> | undefined;
  const fetcher = async (): Promise<Credentials> => {
    const n = ++calls;
    if (gate) await gate;
    const out = behaviour(n);
    if (out.kind === 'fail') throw new Error(out.message);
    const now = Date.now();
    const expiration = new Date(out.expiresAtOffsetMs !== undefined ? now + out.expiresAtOffsetMs : now + (out.lifetimeMs ?? o.lifetimeMs ?? 60 * MIN));
    const c: Credentials = { accessKeyId: `ASIATEST${String(n).padStart(8, '0')}`, secretAccessKey: `secret-${n}`, sessionToken: `token-${n}`, ...(out.noExpiration ? {} : { expiration }) };
    issued.push(c);
    return c;
  };
  const provider = new RefreshingCredentialProvider(NAME, fetcher, {
    clock: () => Date.now(),
    random: o.random ?? (() => 0),
    refreshBeforeMs: o.refreshBeforeMs ?? 5 * MIN,
    log,
    ...(o.minRetryMs !== undefined ? { minRetryMs: o.minRetryMs } : {}),
    ...(o.maxRetryMs !== undefined ? { maxRetryMs: o.maxRetryMs } : {}),
  });
  t.after(() => provider.close());
  return {
    provider,
    issued,
    calls: () => calls,
    behave: (f) => void (behaviour = f),
    hold() {
      let release!: () => void;
      gate = new Promise<void>((r) => (release = r));
      return {
        release: () => {
          gate = undefined;
          release();
        },
      };
    },
    logs,
    async advance(ms, step = 50) {
      let left = ms;
      while (left > 0) {
        const d = Math.min(step, left);
        t.mock.timers.tick(d);
        left -= d;
        await flush();
        await flush();
      }
    },
    now: () => Date.now(),
  };
}

async function rejection(p: Promise<unknown>): Promise<OriginSignerError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof OriginSignerError, `expected an OriginSignerError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the promise to reject');
}

const failures = (h: Harness): Array<Record<string, unknown>> => h.logs.filter((l) => l.msg === 'credentials refresh failed');

test('single flight: 100 concurrent get() before the first fetch → one fetch, one set for all', async (t) => {
  const h = harness(t);
  const gate = h.hold();
  const all = Array.from({ length: 100 }, () => h.provider.get());
  const joined = h.provider.refresh();
  await flush();
  assert.equal(h.calls(), 1);
  gate.release();
  const got = await Promise.all([...all, joined]);
  assert.equal(h.calls(), 1);
  assert.equal(new Set(got.map((c) => c.accessKeyId)).size, 1);
  assert.equal(got[0]!.accessKeyId, h.issued[0]!.accessKeyId);
  assert.equal(h.provider.current()?.accessKeyId, h.issued[0]!.accessKeyId);
});

test('single flight: 100 concurrent get() once the set has expired (no refresh ran) → one fetch', async (t) => {
  const h = harness(t, { lifetimeMs: 10 * MIN });
  await h.provider.start();
  assert.equal(h.calls(), 1);
  h.provider.close(); // no timer: the set just runs out
  t.mock.timers.tick(10 * MIN);
  assert.equal(h.provider.current(), undefined);
  const gate = h.hold();
  const all = Array.from({ length: 100 }, () => h.provider.get());
  await flush();
  gate.release();
  const got = await Promise.all(all);
  assert.equal(h.calls(), 2);
  assert.ok(got.every((c) => c.accessKeyId === h.issued[1]!.accessKeyId));
});

// expiration − min(refreshBefore, lifetime / 2), plus up to a fifth of that window of jitter.
const SCHEDULES = [
  { lifetimeMs: 60 * MIN, refreshBeforeMs: 5 * MIN, random: 0 },
  { lifetimeMs: 60 * MIN, refreshBeforeMs: 5 * MIN, random: 0.5 },
  { lifetimeMs: 60 * MIN, refreshBeforeMs: 5 * MIN, random: 0.999 },
  { lifetimeMs: 6 * MIN, refreshBeforeMs: 5 * MIN, random: 0 }, // half the lifetime (3 min) < refreshBefore
  { lifetimeMs: 6 * MIN, refreshBeforeMs: 5 * MIN, random: 0.75 },
  { lifetimeMs: 8_000, refreshBeforeMs: 300_000, random: 0.25 },
];
for (const s of SCHEDULES) {
  test(`refresh is scheduled at expiration − min(refreshBefore, lifetime/2) + jitter (lifetime ${s.lifetimeMs} ms, refreshBefore ${s.refreshBeforeMs} ms, random ${s.random})`, async (t) => {
    const h = harness(t, { lifetimeMs: s.lifetimeMs, refreshBeforeMs: s.refreshBeforeMs, random: () => s.random });
    await h.provider.start();
    const expiry = h.issued[0]!.expiration!.getTime();
    const window = Math.min(s.refreshBeforeMs, s.lifetimeMs / 2);
    const at = expiry - window + s.random * (window / 5);
    // The instant lies in the documented jitter window.
    assert.ok(at >= expiry - window && at <= expiry - window + window / 5);
    await h.advance(Math.floor(at - h.now()) - 1, Math.max(1, Math.floor(s.lifetimeMs / 200)));
    assert.equal(h.calls(), 1, 'no refresh before the scheduled instant');
    await h.advance(2, 1);
    assert.equal(h.calls(), 2, 'refreshed at the scheduled instant');
    assert.equal(h.provider.current()?.accessKeyId, h.issued[1]!.accessKeyId);
    const refreshed = h.logs.filter((l) => l.msg === 'credentials refreshed');
    assert.deepEqual(refreshed.map((l) => l.rotated), [false, true]);
  });
}

test('a failing refresh keeps the current set until expiration − margin; then current() is undefined and get() rejects naming the set and the last error', async (t) => {
  const h = harness(t, { lifetimeMs: 60 * MIN, refreshBeforeMs: 5 * MIN, random: () => 0.5 });
  await h.provider.start();
  const first = h.issued[0]!;
  const expiry = first.expiration!.getTime();
  const margin = Math.min(2000, (60 * MIN) / 10); // 2 s
  h.behave(() => ({ kind: 'fail', message: 'IMDSv2 token request answered 500' }));
  await h.advance(expiry - margin - h.now() - 1, 1000);
  assert.ok(h.calls() > 2, `refreshes were attempted (${h.calls()} fetches)`);
  assert.equal(h.provider.current()?.accessKeyId, first.accessKeyId, 'still signing with the current set');
  assert.equal((await h.provider.get()).accessKeyId, first.accessKeyId);
  assert.equal(h.provider.state().valid, true);

  await h.advance(2, 1);
  assert.equal(h.provider.current(), undefined, 'never hands out a set inside the margin');
  const err = await rejection(h.provider.get());
  assert.equal(err.code, 'OS_ERR_CREDENTIALS_UNAVAILABLE');
  assert.equal(err.status, 503);
  assert.match(err.message, new RegExp(`credentials "${NAME}"`));
  assert.ok(err.message.includes(`expired at ${first.expiration!.toISOString()}`), err.message);
  assert.match(err.message, /last refresh failed: IMDSv2 token request answered 500/);
  const st = h.provider.state();
  assert.equal(st.valid, false);
  assert.ok(st.consecutiveFailures >= 3);
  assert.equal(st.lastError, 'IMDSv2 token request answered 500');
});

test('backoff after failures doubles from minRetryMs and caps at maxRetryMs (1 s → 60 s by default)', async (t) => {
  const h = harness(t, { random: () => 0.5 });
  h.behave(() => ({ kind: 'fail', message: 'endpoint answered 500' }));
  await h.provider.start();
  // random 0.5 → base × 0.75 (jitter spans base/2 … base).
  const expected = [750, 1500, 3000, 6000, 12_000, 24_000, 45_000, 45_000, 45_000];
  for (let i = 0; i < expected.length; i++) {
    const delay = expected[i]!;
    assert.equal(failures(h).at(-1)?.retryInMs, delay, `retry delay after failure ${i + 1}`);
    assert.equal(failures(h).at(-1)?.failures, i + 1);
    await h.advance(delay - 1, 250);
    assert.equal(h.calls(), i + 1, `no retry before ${delay} ms`);
    await h.advance(1, 1);
    assert.equal(h.calls(), i + 2, `retry at ${delay} ms`);
  }
});

test('backoff honours custom minRetryMs / maxRetryMs and jitters within [base/2, base]', async (t) => {
  for (const [random, expected] of [
    [0, [50, 100, 200, 200]],
    [0.999, [99.95, 199.9, 399.8, 399.8]],
  ] as const) {
    await t.test(`random ${random}`, async (t) => {
      const h = harness(t, { random: () => random, minRetryMs: 100, maxRetryMs: 400 });
      h.behave(() => ({ kind: 'fail', message: 'nope' }));
      await h.provider.start();
      for (let i = 0; i < expected.length; i++) {
        const delay = expected[i]!;
        assert.equal(failures(h).at(-1)?.retryInMs, Math.round(delay));
        await h.advance(Math.ceil(delay) - 1, 1);
        assert.equal(h.calls(), i + 1);
        await h.advance(1, 1);
        assert.equal(h.calls(), i + 2);
      }
    });
  }
});

test('get() within the retry delay after the first failure answers at once without fetching', async (t) => {
  const h = harness(t, { random: () => 0.5 }); // first retry after 750 ms
  h.behave(() => ({ kind: 'fail', message: 'endpoint answered 500' }));
  await h.provider.start();
  assert.equal(h.calls(), 1);
  await h.advance(100, 100);
  const errs = await Promise.all(Array.from({ length: 50 }, () => rejection(h.provider.get())));
  assert.equal(h.calls(), 1, 'no fetch per request');
  assert.ok(errs.every((e) => e.code === 'OS_ERR_CREDENTIALS_UNAVAILABLE' && /no credentials fetched yet; last refresh failed: endpoint answered 500/.test(e.message)), errs[0]?.message);
  await h.advance(700, 50);
  assert.equal(h.calls(), 2, 'the scheduled retry still runs');
});

test(
  'get() within a longer (backed-off) retry delay does not fetch again either',
  {},
  async (t) => {
    const h = harness(t, { random: () => 0.5 });
    h.behave(() => ({ kind: 'fail', message: 'endpoint answered 500' }));
    await h.provider.start();
    await h.advance(750 + 1500, 50); // failures 2 and 3 by the timer
    assert.equal(h.calls(), 3);
    assert.equal(failures(h).at(-1)?.retryInMs, 3000);
    // 1.5 s into a 3 s retry delay: a request must not trigger a fetch.
    await h.advance(1500, 50);
    await rejection(h.provider.get());
    assert.equal(h.calls(), 3, 'a request inside the backoff delay fetched from the failing endpoint');
  },
);

test('recovery: once the fetcher works again the next retry installs a fresh set and resets the failure count', async (t) => {
  const h = harness(t, { lifetimeMs: 10 * MIN, refreshBeforeMs: 5 * MIN, random: () => 0.5 });
  await h.provider.start();
  h.behave(() => ({ kind: 'fail', message: 'STS AssumeRole failed: ServiceUnavailable' }));
  // Let the set expire while failing.
  await h.advance(10 * MIN, 1000);
  assert.equal(h.provider.current(), undefined);
  assert.ok(h.provider.state().consecutiveFailures >= 3);
  const before = h.calls();
  h.behave(() => ({ kind: 'ok' }));
  // The next retry is at most 60 s away.
  await h.advance(60_000, 500);
  assert.equal(h.calls(), before + 1, 'exactly one successful retry');
  const now = h.provider.current();
  assert.equal(now?.accessKeyId, h.issued.at(-1)!.accessKeyId);
  assert.notEqual(now?.accessKeyId, h.issued[0]!.accessKeyId);
  assert.equal((await h.provider.get()).accessKeyId, now?.accessKeyId);
  const st = h.provider.state();
  assert.equal(st.consecutiveFailures, 0);
  assert.equal(st.lastError, undefined);
  assert.equal(st.valid, true);
  assert.equal(h.logs.filter((l) => l.msg === 'credentials refreshed').at(-1)?.rotated, true);
});

test('recovery through get(): after the retry delay a request fetches and gets the new set', async (t) => {
  const h = harness(t, { random: () => 0 }); // first retry delay 500 ms
  h.behave(() => ({ kind: 'fail', message: 'container credentials endpoint answered 500' }));
  await h.provider.start();
  h.behave(() => ({ kind: 'ok' }));
  t.mock.timers.tick(450); // inside the delay, without firing the timer
  await rejection(h.provider.get());
  assert.equal(h.calls(), 1);
  await h.advance(60, 60); // the retry fires
  assert.equal(h.calls(), 2);
  const c = await h.provider.get();
  assert.equal(c.accessKeyId, h.issued[0]!.accessKeyId);
});

test('credentials without an expiration are never refreshed', async (t) => {
  const h = harness(t);
  h.behave(() => ({ kind: 'ok', noExpiration: true }));
  await h.provider.start();
  for (let day = 0; day < 30; day++) await h.advance(24 * 60 * MIN, 6 * 60 * MIN);
  assert.equal(h.calls(), 1);
  assert.equal(h.issued[0]!.expiration, undefined);
  assert.equal(h.provider.current()?.accessKeyId, h.issued[0]!.accessKeyId);
  assert.equal((await h.provider.get()).accessKeyId, h.issued[0]!.accessKeyId);
  assert.equal(h.calls(), 1);
  assert.equal(h.provider.state().expiration, undefined);
  assert.equal(h.provider.state().valid, true);
});

test('a fetcher answering already-expired credentials counts as a failure (retried, never handed out)', async (t) => {
  const h = harness(t, { random: () => 0.5 });
  h.behave(() => ({ kind: 'ok', expiresAtOffsetMs: -1000 }));
  await h.provider.start();
  assert.equal(h.calls(), 1);
  assert.equal(h.provider.current(), undefined);
  const st = h.provider.state();
  assert.equal(st.consecutiveFailures, 1);
  assert.equal(st.refreshes, 0);
  assert.match(st.lastError ?? '', /expired at/);
  const err = await rejection(h.provider.get());
  assert.equal(err.code, 'OS_ERR_CREDENTIALS_UNAVAILABLE');
  assert.match(err.message, /credentials "box-role": no credentials fetched yet; last refresh failed: the source returned credentials that expired at/);
  assert.equal(failures(h).length, 1);
  // Retried on the backoff schedule; a good answer then wins.
  h.behave(() => ({ kind: 'ok' }));
  await h.advance(750, 50);
  assert.equal(h.calls(), 2);
  assert.equal(h.provider.current()?.accessKeyId, h.issued[1]!.accessKeyId);
});

test('close() stops the refresh timer', async (t) => {
  const h = harness(t, { lifetimeMs: 10 * MIN });
  await h.provider.start();
  h.provider.close();
  await h.advance(20 * MIN, 10_000);
  assert.equal(h.calls(), 1);
});
