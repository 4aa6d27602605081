// The pool admission queue (pool.queueTimeout): at most `limit` in flight, the rest served in
// arrival order, each waiting at most its own timeout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Admission } from '../../../src/upstream/admission.js';

test('runs up to the limit at once, then in arrival order as slots free', () => {
  const a = new Admission(2);
  const started: number[] = [];
  for (let i = 0; i < 5; i++) a.enter(60_000, () => started.push(i), () => assert.fail(`request ${i} expired`));
  assert.deepEqual(started, [0, 1]);
  assert.equal(a.queued, 3);
  a.release();
  assert.deepEqual(started, [0, 1, 2]);
  a.release();
  a.release();
  assert.deepEqual(started, [0, 1, 2, 3, 4]);
  assert.equal(a.queued, 0);
  assert.equal(a.running, 2);
});

test('a request that waits longer than its timeout expires and leaves the queue', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const a = new Admission(1);
  const events: string[] = [];
  a.enter(1000, () => events.push('first'), () => events.push('first expired'));
  a.enter(100, () => events.push('second'), () => events.push('second expired'));
  a.enter(5000, () => events.push('third'), () => events.push('third expired'));
  t.mock.timers.tick(100);
  assert.deepEqual(events, ['first', 'second expired']);
  assert.equal(a.queued, 1);
  a.release();
  assert.deepEqual(events, ['first', 'second expired', 'third']);
  t.mock.timers.tick(10_000);
  assert.deepEqual(events, ['first', 'second expired', 'third'], 'a started request never expires');
});
