// Issue #16 item 8: the primary's restart back-off never reset — 7 workers killed 3 s apart were
// replaced after 0.46 … 10 s. restartDelay() backs off only on a crash loop (workers dying before
// they have served for RESTART.stableMs); a worker that had been up that long is replaced at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RESTART, restartDelay } from '../../../src/server/cluster.js';

/** Replays worker deaths on a fake clock: each worker listens `startMs` after its fork and dies `upMs` after that (never listening when `upMs` is undefined). */
function replay(deaths: Array<{ startMs: number; upMs: number | undefined }>): number[] {
  let now = 1_000_000;
  let streak = 0;
  const delays: number[] = [];
  for (const d of deaths) {
    const forkedAt = now;
    const listenedAt = d.upMs === undefined ? undefined : forkedAt + d.startMs;
    now = forkedAt + d.startMs + (d.upMs ?? 0);
    const next = restartDelay(streak, listenedAt, now);
    streak = next.streak;
    delays.push(next.delayMs);
    now += next.delayMs;
  }
  return delays;
}

test('the issue: 7 kills 3 s apart are each replaced at once', () => {
  assert.deepEqual(replay(Array.from({ length: 7 }, () => ({ startMs: 500, upMs: 2500 }))), [0, 0, 0, 0, 0, 0, 0]);
});

test('a crash loop (workers that never listen) backs off, doubling up to the cap', () => {
  assert.deepEqual(replay(Array.from({ length: 9 }, () => ({ startMs: 300, upMs: undefined }))), [250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
});

test('dying within stableMs of listening is part of the loop; stableMs or more ends it', () => {
  assert.deepEqual(replay([{ startMs: 300, upMs: RESTART.stableMs - 1 }, { startMs: 300, upMs: 10 }]), [250, 500]);
  assert.deepEqual(replay([{ startMs: 300, upMs: RESTART.stableMs }]), [0]);
});

test('after a streak, a worker that stays up resets it: the next loop starts from the base delay', () => {
  const quick = { startMs: 300, upMs: undefined };
  assert.deepEqual(replay([quick, quick, quick, { startMs: 300, upMs: 60_000 }, quick, quick]), [250, 500, 1000, 0, 250, 500]);
});

test('pure: the same inputs give the same answer, whatever the time', () => {
  assert.deepEqual(restartDelay(3, undefined, 5), restartDelay(3, undefined, 9_999_999));
  assert.deepEqual(restartDelay(3, 100, 100 + RESTART.stableMs), { streak: 0, delayMs: 0 });
});
