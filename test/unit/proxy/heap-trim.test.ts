// The heap trim starts a full collection when the heap has grown by a margin over the lowest size
// seen, so promoted request garbage does not pile up under many small requests (README "Memory").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { processHeapTrim, startHeapTrim } from '../../../src/proxy/heap-trim.js';
import { fakeTimers } from '../../support/fake-interval.js';

const MiB = 1024 * 1024;

/** A hand-driven interval and a scripted heap: `tick(used)` sets the heap size and runs the check. */
function rig(growthBytes = 8 * MiB) {
  const timers = fakeTimers();
  let used = 0;
  let collections = 0;
  const trim = startHeapTrim({ usedHeap: () => used, collect: () => void collections++, intervalMs: 1000, growthBytes, ...timers });
  return {
    live: timers.live,
    trim,
    collections: () => collections,
    tick(mib: number) {
      used = mib * MiB;
      timers.tick();
    },
  };
}

test('one unref-ed timer at the given interval, gone after stop()', () => {
  const r = rig();
  const [timer] = r.live;
  assert.equal(timer?.ms, 1000);
  assert.equal(timer?.unrefd, true, 'the timer must not keep the process alive');
  r.trim.stop();
  assert.equal(r.live.size, 0);
});

test('no collection while the heap stays within the margin of its lowest size', () => {
  const r = rig();
  for (const mib of [20, 18, 22, 25, 26, 19, 26]) r.tick(mib); // 26 is exactly 8 MiB over 18: not past it
  assert.equal(r.collections(), 0);
});

test('a collection once the heap grew past the margin, measured from the lowest size seen', () => {
  const r = rig();
  r.tick(20);
  r.tick(17); // V8's own collection lowered it: the margin counts from here
  r.tick(25);
  assert.equal(r.collections(), 0);
  r.tick(25.5);
  assert.equal(r.collections(), 1);
});

test('no second collection while the first is still marking; the drop after it is the new reference', () => {
  const r = rig();
  r.tick(17);
  r.tick(26); // 9 MiB over: collect
  r.tick(30); // still marking, only 4 MiB over the size it started at
  assert.equal(r.collections(), 1);
  r.tick(18); // the collection finished
  r.tick(25);
  assert.equal(r.collections(), 1);
  r.tick(27);
  assert.equal(r.collections(), 2);
});

test('a heap whose live part grew moves its reference up instead of collecting in a loop', () => {
  const r = rig();
  r.tick(17);
  r.tick(26); // collect
  r.tick(24); // live data really grew (more connections): 24 is the new low
  for (const mib of [28, 31, 32]) r.tick(mib);
  assert.equal(r.collections(), 1);
  r.tick(32.5);
  assert.equal(r.collections(), 2);
});

test('the process heap trim checks once a second, asks V8 for a full collection (in a task) past 8 MiB, and is a no-op without --expose-gc', () => {
  const timers = fakeTimers();
  const calls: unknown[] = [];
  let used = 10 * MiB;
  const trim = processHeapTrim((opts: unknown) => calls.push(opts), () => used, timers);
  assert.equal([...timers.live][0]?.ms, 1000);
  timers.tick();
  used = 18 * MiB;
  timers.tick();
  assert.deepEqual(calls, [], 'exactly 8 MiB over: not past the margin');
  used = 18.5 * MiB;
  timers.tick();
  assert.deepEqual(calls, [{ type: 'major', execution: 'async' }]);
  trim.stop();
  assert.equal(timers.live.size, 0);

  processHeapTrim(null, () => used, timers).stop(); // null: undefined would pick up a real --expose-gc
  assert.equal(timers.live.size, 0, 'no timer without --expose-gc');
});
