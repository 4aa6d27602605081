// The cached log timestamp must be exactly pino's isoTime for any instant, in any order —
// within one second, across seconds and years, and with a clock that goes back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isoTimeAt } from '../../../src/log/iso-time.js';

const pinos = (ms: number): string => `,"time":"${new Date(ms).toISOString()}"`;

test('milliseconds are zero-padded and the second is not reused across a boundary', () => {
  const t = Date.UTC(2026, 11, 31, 23, 59, 59, 0);
  for (const ms of [t, t + 5, t + 42, t + 999, t + 1000, t + 1001, t - 1, t + 7]) assert.equal(isoTimeAt(ms), pinos(ms));
});

test('any sequence of instants matches pino isoTime', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) }), { minLength: 1, maxLength: 30 }), (instants) => {
      for (const ms of instants) {
        assert.equal(isoTimeAt(ms), pinos(ms));
        assert.equal(isoTimeAt(ms + 1), pinos(ms + 1));
      }
    }),
  );
});
