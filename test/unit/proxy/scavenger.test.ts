// The scavenger runs young-generation collections only while a large transfer is open: never at
// idle (no CPU for nothing), always while one streams (README "Memory").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createScavenger, isLargeBody, LARGE_BODY_BYTES, processScavenger, scavengeTiming } from '../../../src/proxy/scavenger.js';
import { fakeTimers } from '../../support/fake-interval.js';


test('no timer and no collection until a transfer is held', () => {
  const timers = fakeTimers();
  let runs = 0;
  const s = createScavenger({ collect: () => runs++, intervalMs: 20, majorEvery: 0, bytesPerCollection: Infinity, ...timers });
  timers.tick();
  assert.equal(timers.live.size, 0);
  assert.equal(runs, 0);
  assert.equal(s.holding, 0);
});

test('one unref-ed timer however many transfers are held; stopped when the last is released', () => {
  const timers = fakeTimers();
  let runs = 0;
  const s = createScavenger({ collect: () => runs++, intervalMs: 20, majorEvery: 0, bytesPerCollection: Infinity, ...timers });
  const a = s.hold();
  const b = s.hold();
  assert.equal(timers.live.size, 1);
  const [timer] = timers.live;
  assert.equal(timer?.ms, 20);
  assert.equal(timer?.unrefd, true, 'the timer must not keep the process alive');
  timers.tick();
  timers.tick();
  assert.equal(runs, 2);
  a();
  assert.equal(timers.live.size, 1, 'still one transfer open');
  b();
  assert.equal(timers.live.size, 0);
  timers.tick();
  assert.equal(runs, 2);
});

test('releasing twice counts once (a response can emit close after an error)', () => {
  const timers = fakeTimers();
  const s = createScavenger({ collect: () => {}, intervalMs: 20, majorEvery: 0, bytesPerCollection: Infinity, ...timers });
  const a = s.hold();
  const b = s.hold();
  a();
  a();
  assert.equal(s.holding, 1);
  assert.equal(timers.live.size, 1);
  b();
  assert.equal(s.holding, 0);
  const c = s.hold();
  assert.equal(timers.live.size, 1, 'a new transfer starts a new timer');
  c();
});

test('every majorEvery-th tick is a major collection, counted from each start', () => {
  const timers = fakeTimers();
  const kinds: string[] = [];
  const s = createScavenger({ collect: (k) => kinds.push(k), intervalMs: 20, majorEvery: 3, bytesPerCollection: Infinity, ...timers });
  const release = s.hold();
  for (let i = 0; i < 7; i++) timers.tick();
  assert.deepEqual(kinds, ['minor', 'minor', 'major', 'minor', 'minor', 'major', 'minor']);
  release();
  kinds.length = 0;
  const again = s.hold();
  timers.tick();
  timers.tick();
  assert.deepEqual(kinds, ['minor', 'minor'], 'a new transfer starts counting again');
  again();
});

test('the process scavenger asks V8 for minor collections and a full one in a task, every 2 MiB reported a minor one, and is a no-op without --expose-gc', () => {
  const timers = fakeTimers();
  const calls: unknown[] = [];
  const s = processScavenger((opts: unknown) => calls.push(opts), 20, timers);
  assert.equal(timers.live.size, 0, 'no timer at idle');
  const release = s.hold();
  const [timer] = timers.live;
  assert.equal(timer?.ms, 5, 'every 5 ms on Node 20');
  for (let i = 0; i < 400; i++) timers.tick();
  assert.equal(calls.length, 400);
  assert.deepEqual(calls[0], { type: 'minor' });
  assert.deepEqual(calls[399], { type: 'major', execution: 'async' }, 'every 400th tick (2 s) a full collection');
  calls.length = 0;
  s.moved(2 * 1024 * 1024 - 1);
  assert.equal(calls.length, 0);
  s.moved(1);
  assert.deepEqual(calls, [{ type: 'minor' }], 'a minor collection once 2 MiB went by');
  release();
  assert.equal(timers.live.size, 0, 'no collection after release');

  const none = processScavenger(null, 20, timers); // null, not undefined: undefined would pick up a real --expose-gc
  none.hold()();
  none.moved(64 * 1024 * 1024);
  assert.equal(none.holding, 0);
  assert.equal(timers.live.size, 0);
});

test('timing by Node version: every 5 ms on Node 20 and 22, every 10 ms from Node 24; a full collection every 2 s; a minor one every 2 MiB', () => {
  const bytesPerCollection = 2 * 1024 * 1024;
  for (const major of [20, 22]) assert.deepEqual(scavengeTiming(major), { intervalMs: 5, majorEvery: 400, bytesPerCollection });
  for (const major of [24, 26]) assert.deepEqual(scavengeTiming(major), { intervalMs: 10, majorEvery: 200, bytesPerCollection });
});

test('bytes reported: a minor collection each time bytesPerCollection went by, remainders carried over', () => {
  const timers = fakeTimers();
  const kinds: string[] = [];
  const s = createScavenger({ collect: (k) => kinds.push(k), intervalMs: 5, majorEvery: 0, bytesPerCollection: 100, ...timers });
  const release = s.hold();
  s.moved(60);
  assert.deepEqual(kinds, []);
  s.moved(60); // 120: one collection, 20 carried over
  assert.deepEqual(kinds, ['minor']);
  s.moved(79);
  assert.deepEqual(kinds, ['minor']);
  s.moved(1);
  assert.deepEqual(kinds, ['minor', 'minor']);
  for (let i = 0; i < 10; i++) s.moved(64); // 640 bytes: 6 more
  assert.equal(kinds.length, 8);
  release();
});

test('a tick right after a byte-triggered collection skips its minor one; the full one is never skipped', () => {
  const timers = fakeTimers();
  const kinds: string[] = [];
  const s = createScavenger({ collect: (k) => kinds.push(k), intervalMs: 5, majorEvery: 3, bytesPerCollection: 100, ...timers });
  const release = s.hold();
  s.moved(100); // collected by bytes
  timers.tick(); // skipped
  assert.deepEqual(kinds, ['minor']);
  timers.tick(); // nothing by bytes since the last tick: collects
  assert.deepEqual(kinds, ['minor', 'minor']);
  s.moved(100);
  timers.tick(); // third tick: the full collection, even right after one by bytes
  assert.deepEqual(kinds, ['minor', 'minor', 'minor', 'major']);
  release();
});

test('the process scavenger on Node 24 ticks every 10 ms', () => {
  const timers = fakeTimers();
  const release = processScavenger(() => {}, 24, timers).hold();
  assert.equal([...timers.live][0]?.ms, 10);
  release();
});

test('large bodies: over 1 MiB, or of unknown length', () => {
  assert.equal(isLargeBody(undefined), true);
  assert.equal(isLargeBody(String(LARGE_BODY_BYTES + 1)), true);
  assert.equal(isLargeBody(String(LARGE_BODY_BYTES)), false);
  assert.equal(isLargeBody('1024'), false);
  assert.equal(isLargeBody('0'), false);
  assert.equal(isLargeBody(['5000000']), true);
});
