/** evaluateConditionals (pure): RFC 7232 §6 precedence as S3 documents it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateConditionals } from '../src/conditional.js';

const ETAG = '"abc123"';
const LM = Date.UTC(2024, 0, 10, 12, 0, 30, 700); // sub-second part must be ignored
const before = new Date(LM - 60_000).toUTCString();
const same = new Date(LM).toUTCString();
const after = new Date(LM + 60_000).toUTCString();
const ev = (h: Parameters<typeof evaluateConditionals>[1], method = 'GET') => evaluateConditionals(method, h, ETAG, LM).kind;

test('If-Match', () => {
  assert.equal(ev({ ifMatch: '"abc123"' }), 'proceed');
  assert.equal(ev({ ifMatch: 'abc123' }), 'proceed');
  assert.equal(ev({ ifMatch: '"x", "abc123"' }), 'proceed');
  assert.equal(ev({ ifMatch: '*' }), 'proceed');
  assert.equal(ev({ ifMatch: '"other"' }), 'precondition-failed');
  assert.equal(ev({ ifMatch: 'W/"abc123"' }), 'precondition-failed', 'strong comparison');
});

test('If-Unmodified-Since', () => {
  assert.equal(ev({ ifUnmodifiedSince: same }), 'proceed');
  assert.equal(ev({ ifUnmodifiedSince: after }), 'proceed');
  assert.equal(ev({ ifUnmodifiedSince: before }), 'precondition-failed');
  assert.equal(ev({ ifUnmodifiedSince: 'not a date' }), 'proceed', 'invalid dates are ignored');
});

test('If-None-Match', () => {
  assert.equal(ev({ ifNoneMatch: '"abc123"' }), 'not-modified');
  assert.equal(ev({ ifNoneMatch: 'W/"abc123"' }), 'not-modified', 'weak comparison');
  assert.equal(ev({ ifNoneMatch: '*' }), 'not-modified');
  assert.equal(ev({ ifNoneMatch: '"other"' }), 'proceed');
  assert.equal(ev({ ifNoneMatch: '"abc123"' }, 'PUT'), 'precondition-failed');
});

test('If-Modified-Since', () => {
  assert.equal(ev({ ifModifiedSince: same }), 'not-modified');
  assert.equal(ev({ ifModifiedSince: after }), 'not-modified');
  assert.equal(ev({ ifModifiedSince: before }), 'proceed');
  assert.equal(ev({ ifModifiedSince: before }, 'HEAD'), 'proceed');
  assert.equal(ev({ ifModifiedSince: after }, 'PUT'), 'proceed', 'only for GET/HEAD');
});

test('precedence: If-Match true + If-Unmodified-Since false → proceed (S3 returns 200)', () => {
  assert.equal(ev({ ifMatch: ETAG, ifUnmodifiedSince: before }), 'proceed');
});

test('precedence: If-None-Match false + If-Modified-Since true → 304 (S3 returns 304)', () => {
  assert.equal(ev({ ifNoneMatch: ETAG, ifModifiedSince: before }), 'not-modified');
});

test('precedence: If-None-Match true (no match) ignores If-Modified-Since', () => {
  assert.equal(ev({ ifNoneMatch: '"other"', ifModifiedSince: after }), 'proceed');
});

test('precedence: If-Match failure wins over If-None-Match', () => {
  assert.equal(ev({ ifMatch: '"other"', ifNoneMatch: ETAG }), 'precondition-failed');
});

test('RFC 850 and asctime dates are understood', () => {
  assert.equal(ev({ ifModifiedSince: 'Saturday, 10-Feb-24 12:00:30 GMT' }), 'not-modified');
  assert.equal(ev({ ifModifiedSince: 'Wed Jan 10 12:00:30 2024' }), 'not-modified');
  assert.equal(ev({ ifModifiedSince: 'Wed Jan 10 12:00:29 2024' }), 'proceed');
});
