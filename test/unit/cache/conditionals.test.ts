// RFC 9110 §13.1: the viewer's conditionals judged against a stored object.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateConditionals, rangeApplies } from '../../../src/cache/conditionals.js';

const v = { etag: '"abc"', lastModified: 'Tue, 02 Jan 2024 03:04:05 GMT' };
const NOW = Date.UTC(2024, 5, 1);

test('If-None-Match: weak comparison, lists and *', () => {
  assert.equal(evaluateConditionals({ 'if-none-match': '"abc"' }, v, NOW), 'not-modified');
  assert.equal(evaluateConditionals({ 'if-none-match': 'W/"abc"' }, v, NOW), 'not-modified');
  assert.equal(evaluateConditionals({ 'if-none-match': '"x", "abc"' }, v, NOW), 'not-modified');
  assert.equal(evaluateConditionals({ 'if-none-match': '*' }, v, NOW), 'not-modified');
  assert.equal(evaluateConditionals({ 'if-none-match': '"other"' }, v, NOW), 'send');
});

test('If-Modified-Since only without If-None-Match', () => {
  assert.equal(evaluateConditionals({ 'if-modified-since': 'Wed, 03 Jan 2024 00:00:00 GMT' }, v, NOW), 'not-modified');
  assert.equal(evaluateConditionals({ 'if-modified-since': 'Mon, 01 Jan 2024 00:00:00 GMT' }, v, NOW), 'send');
  assert.equal(evaluateConditionals({ 'if-none-match': '"other"', 'if-modified-since': 'Wed, 03 Jan 2024 00:00:00 GMT' }, v, NOW), 'send');
  assert.equal(evaluateConditionals({ 'if-modified-since': 'not a date' }, v, NOW), 'send');
});

test('If-Range: a strong equal ETag or the exact Last-Modified keeps the range', () => {
  assert.equal(rangeApplies(undefined, v, NOW), true);
  assert.equal(rangeApplies('"abc"', v, NOW), true);
  assert.equal(rangeApplies('"old"', v, NOW), false);
  assert.equal(rangeApplies('W/"abc"', v, NOW), false, 'a weak validator never matches If-Range');
  assert.equal(rangeApplies('Tue, 02 Jan 2024 03:04:05 GMT', v, NOW), true);
  assert.equal(rangeApplies('Tue, 02 Jan 2024 03:04:06 GMT', v, NOW), false);
});

test('If-Match (strong comparison, lists, *) and, only without it, If-Unmodified-Since: 412 first', () => {
  assert.equal(evaluateConditionals({ 'if-match': '"abc"' }, v, NOW), 'send');
  assert.equal(evaluateConditionals({ 'if-match': '"x", "abc"' }, v, NOW), 'send');
  assert.equal(evaluateConditionals({ 'if-match': '*' }, v, NOW), 'send');
  assert.equal(evaluateConditionals({ 'if-match': '"other"' }, v, NOW), 'precondition-failed');
  assert.equal(evaluateConditionals({ 'if-match': 'W/"abc"' }, v, NOW), 'precondition-failed', 'a weak tag never matches strongly');
  assert.equal(evaluateConditionals({ 'if-match': '"abc"' }, { ...v, etag: 'W/"abc"' }, NOW), 'precondition-failed');
  assert.equal(evaluateConditionals({ 'if-unmodified-since': 'Mon, 01 Jan 2024 00:00:00 GMT' }, v, NOW), 'precondition-failed');
  assert.equal(evaluateConditionals({ 'if-unmodified-since': 'Wed, 03 Jan 2024 00:00:00 GMT' }, v, NOW), 'send');
  assert.equal(evaluateConditionals({ 'if-unmodified-since': 'not a date' }, v, NOW), 'send');
  assert.equal(evaluateConditionals({ 'if-match': '"abc"', 'if-unmodified-since': 'Mon, 01 Jan 2024 00:00:00 GMT' }, v, NOW), 'send', 'If-Unmodified-Since is ignored beside If-Match');
  // Before If-None-Match: a failed If-Match is 412 even where If-None-Match would say 304.
  assert.equal(evaluateConditionals({ 'if-match': '"other"', 'if-none-match': '"abc"' }, v, NOW), 'precondition-failed');
  assert.equal(evaluateConditionals({ 'if-match': '"abc"', 'if-none-match': '"abc"' }, v, NOW), 'not-modified');
});
