/** evaluateRange (pure): RFC 7233 single ranges, S3's multi-range and invalid-spec handling. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluateRange } from '../src/range.js';

test('examples', () => {
  assert.deepEqual(evaluateRange(undefined, 10), { kind: 'none' });
  assert.deepEqual(evaluateRange('bytes=0-0', 10), { kind: 'partial', start: 0, end: 0 });
  assert.deepEqual(evaluateRange('bytes=3-', 10), { kind: 'partial', start: 3, end: 9 });
  assert.deepEqual(evaluateRange('bytes=-3', 10), { kind: 'partial', start: 7, end: 9 });
  assert.deepEqual(evaluateRange('bytes=10-', 10), { kind: 'unsatisfiable' });
  assert.deepEqual(evaluateRange('bytes=0-', 0), { kind: 'unsatisfiable' });
  assert.deepEqual(evaluateRange('bytes=-0', 10), { kind: 'unsatisfiable' });
  assert.deepEqual(evaluateRange('bytes=1-2,4-5', 10), { kind: 'none' });
  assert.deepEqual(evaluateRange('bytes=5-4', 10), { kind: 'none' });
  assert.deepEqual(evaluateRange('bytes=-', 10), { kind: 'none' });
  assert.deepEqual(evaluateRange('bytes=a-b', 10), { kind: 'none' });
});

test('property: a partial range always lies inside the object', () => {
  fc.assert(
    fc.property(fc.nat(1000), fc.option(fc.nat(2000), { nil: undefined }), fc.option(fc.nat(2000), { nil: undefined }), (size, a, b) => {
      if (a === undefined && b === undefined) return;
      const r = evaluateRange(`bytes=${a ?? ''}-${b ?? ''}`, size);
      if (r.kind === 'partial') {
        assert.ok(r.start >= 0 && r.start <= r.end && r.end < size);
        if (a !== undefined) assert.equal(r.start, a);
        else assert.equal(r.end - r.start + 1, Math.min(b as number, size));
      } else if (r.kind === 'unsatisfiable') {
        assert.ok(a !== undefined ? a >= size : b === 0 || size === 0);
      } else {
        assert.ok(a !== undefined && b !== undefined && b < a);
      }
    }),
  );
});
