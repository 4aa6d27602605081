// RFC 9110 §14.1.2: a viewer's Range against a stored object's size.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveRange } from '../../../src/cache/range.js';

test('closed, open and suffix ranges', () => {
  assert.deepEqual(resolveRange('bytes=0-9', 100), { start: 0, end: 9 });
  assert.deepEqual(resolveRange('bytes=90-', 100), { start: 90, end: 99 });
  assert.deepEqual(resolveRange('bytes=-10', 100), { start: 90, end: 99 });
  assert.deepEqual(resolveRange('bytes=-1000', 100), { start: 0, end: 99 }, 'a suffix longer than the object is the whole object');
  assert.deepEqual(resolveRange('bytes=50-1000', 100), { start: 50, end: 99 }, 'an end past the object is clipped');
});

test('unsatisfiable: a start at or past the end, an empty suffix, any range of an empty object', () => {
  assert.equal(resolveRange('bytes=100-', 100), 'unsatisfiable');
  assert.equal(resolveRange('bytes=-0', 100), 'unsatisfiable');
  assert.equal(resolveRange('bytes=0-0', 0), 'unsatisfiable');
});

test('what S3 answers whole: no header, several ranges, another unit, a backwards range, nonsense', () => {
  for (const h of [undefined, 'bytes=0-1,5-6', 'items=0-1', 'bytes=9-3', 'bytes=-', 'bytes=a-b']) assert.equal(resolveRange(h, 100), 'whole', String(h));
});
