// toAmzDate keeps the last second's string: it must still be exact for any sequence of instants —
// the same second, the next one, and a clock that goes back (tests inject any clock).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { toAmzDate, toHttpDate } from '../../../src/signing/amz-date.js';

const expected = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

test('the AWS example instant', () => {
  assert.equal(toAmzDate(Date.UTC(2015, 7, 30, 12, 36, 0)), '20150830T123600Z');
  assert.equal(toHttpDate(Date.UTC(2015, 7, 30, 12, 36, 0)), 'Sun, 30 Aug 2015 12:36:00 GMT');
});

test('same second, next second, a second boundary and a clock going back', () => {
  const t = Date.UTC(2026, 11, 31, 23, 59, 59, 0);
  assert.equal(toAmzDate(t), '20261231T235959Z');
  assert.equal(toAmzDate(t + 999), '20261231T235959Z');
  assert.equal(toAmzDate(t + 1000), '20270101T000000Z');
  assert.equal(toAmzDate(t - 1), '20261231T235958Z');
  assert.equal(toAmzDate(t), '20261231T235959Z');
});

test('any sequence of instants gives each its own date', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) }), { minLength: 1, maxLength: 20 }), (instants) => {
      for (const ms of instants) assert.equal(toAmzDate(ms), expected(ms));
      // Repeats within one second, the memoised path.
      for (const ms of instants) assert.equal(toAmzDate(ms - (ms % 1000) + 500), expected(ms));
    }),
  );
});
