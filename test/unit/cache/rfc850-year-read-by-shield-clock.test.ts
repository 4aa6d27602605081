// Regression: an RFC 850 date's two-digit year was placed by the machine's real clock, not the
// shield's injected one (RFC 9110 §5.6.7: a year more than 50 years ahead is the last such year
// in the past). "94" is 1994 seen from 2026, and 2094 seen from 2050.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateConditionals, httpDate } from '../../../src/cache/conditionals.js';

const RFC850 = 'Sunday, 06-Nov-94 08:49:37 GMT';

test('an RFC 850 two-digit year is placed by the clock it is given', () => {
  assert.equal(httpDate(RFC850, Date.UTC(2026, 0, 1)), Date.UTC(1994, 10, 6, 8, 49, 37));
  assert.equal(httpDate(RFC850, Date.UTC(2050, 0, 1)), Date.UTC(2094, 10, 6, 8, 49, 37));
  assert.equal(httpDate('Monday, 07-Dec-26 00:00:00 GMT', Date.UTC(2026, 0, 1)), Date.UTC(2026, 11, 7), 'this century while within 50 years');
});

test("If-Modified-Since in RFC 850 form is judged at the shield's time", () => {
  const v = { etag: undefined, lastModified: 'Sat, 01 Jan 2000 00:00:00 GMT' };
  // From 2026 the date is 1994: the object changed since, and is sent.
  assert.equal(evaluateConditionals({ 'if-modified-since': RFC850 }, v, Date.UTC(2026, 0, 1)), 'send');
  // From 2050 it is 2094: the object has not changed since.
  assert.equal(evaluateConditionals({ 'if-modified-since': RFC850 }, v, Date.UTC(2050, 0, 1)), 'not-modified');
});
