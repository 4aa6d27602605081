// Canonical query string rules (SigV4 "Create a canonical request"), beyond the published vectors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalQuery, parseQuery } from '../../../src/signing/v4/canonical-query.js';

const cq = (q: string): string => canonicalQuery(parseQuery(q));

test('parameter names that are Object.prototype members are plain names', () => {
  assert.equal(cq('__proto__'), '__proto__=');
  assert.equal(cq('valueOf=1&constructor=2&toString'), 'constructor=2&toString=&valueOf=1');
});

test('every spelling of a value encodes to the one canonical form', () => {
  assert.equal(cq('k=%e1%88%b4'), 'k=%E1%88%B4');
  assert.equal(cq('k=ሴ'), 'k=%E1%88%B4');
  assert.equal(cq('k=a+b'), 'k=a%2Bb');
  assert.equal(cq('k=a%20b'), 'k=a%20b');
  assert.equal(cq("k=(!*')"), 'k=%28%21%2A%27%29');
});

test('sorted by encoded name, then value; empty pieces ignored', () => {
  assert.equal(cq('b=2&a=2&a=1&&A=0'), 'A=0&a=1&a=2&b=2');
});
