// Read-while-write: readers see what has arrived, at their own positions, and a failure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GrowingBody } from '../../../src/cache/growing-body.js';

test('slices across chunks are views of what arrived so far', () => {
  const b = new GrowingBody();
  b.append(Buffer.from('abc'));
  b.append(Buffer.from('defg'));
  assert.equal(Buffer.concat(b.slice(1, 5)).toString(), 'bcde');
  assert.equal(Buffer.concat(b.slice(5, 100)).toString(), 'fg', 'a slice past the end stops at what arrived');
  assert.deepEqual(b.slice(7, 9), []);
  b.append(Buffer.from('h'));
  assert.equal(Buffer.concat(b.slice(6, 8)).toString(), 'gh');
  b.finish();
  assert.equal(b.concat().toString(), 'abcdefgh');
});

test('subscribers hear every append, the end and a failure; a failure after the end is ignored', () => {
  const b = new GrowingBody();
  const heard: string[] = [];
  const off = b.subscribe(() => heard.push(`${b.length}:${b.done}:${b.error?.message ?? ''}`));
  b.append(Buffer.from('xy'));
  b.fail(new Error('cut'));
  off();
  b.append(Buffer.from('z'));
  assert.deepEqual(heard, ['2:false:', '2:false:cut']);
  const done = new GrowingBody();
  done.finish();
  done.fail(new Error('late'));
  assert.equal(done.error, undefined);
});
