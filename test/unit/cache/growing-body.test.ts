// Read-while-write: readers see what has arrived, at their own positions, and a failure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GrowingBody } from '../../../src/cache/growing-body.js';

test('views of what arrived so far; the whole body once done, without a copy', () => {
  const b = new GrowingBody(8);
  assert.ok(b.append(Buffer.from('abc')));
  assert.ok(b.append(Buffer.from('defg')));
  assert.equal(b.slice(1, 5).toString(), 'bcde');
  assert.equal(b.slice(5, 100).toString(), 'fg', 'a view past what arrived stops there');
  assert.equal(b.slice(7, 9).length, 0);
  assert.ok(b.append(Buffer.from('h')));
  assert.equal(b.slice(6, 8).toString(), 'gh');
  b.finish();
  assert.equal(b.whole().toString(), 'abcdefgh');
  assert.equal(b.whole().buffer, b.slice(0, 1).buffer, 'views share the one buffer');
});

test('more bytes than declared are refused, not kept', () => {
  const b = new GrowingBody(2);
  assert.equal(b.append(Buffer.from('xyz')), false);
  assert.equal(b.length, 0);
});

test('subscribers hear every append, the end and a failure; a failure after the end is ignored', () => {
  const b = new GrowingBody(3);
  const heard: string[] = [];
  const off = b.subscribe(() => heard.push(`${b.length}:${b.done}:${b.error?.message ?? ''}`));
  b.append(Buffer.from('xy'));
  b.fail(new Error('cut'));
  off();
  b.append(Buffer.from('z'));
  assert.deepEqual(heard, ['2:false:', '2:false:cut']);
  const done = new GrowingBody(0);
  done.finish();
  done.fail(new Error('late'));
  assert.equal(done.error, undefined);
});
