// DESIGN step 4: only parameters S3 understands are forwarded, re-encoded canonically.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { upstreamQuery } from '../../../src/proxy/upstream-query.js';

const q = (raw: string): string => {
  const r = upstreamQuery(raw);
  assert.ok('query' in r, JSON.stringify(r));
  return r.query;
};

test('drops parameters S3 does not understand, and viewer signature parameters', () => {
  assert.equal(q('cachebust=123&Expires=1&Signature=x&Key-Pair-Id=K&X-Amz-Signature=abc&X-Amz-Credential=a%2Fb'), '');
});

test('keeps sub-resources and response overrides, encoded with the SigV4 rules and sorted', () => {
  assert.equal(q('versionId=3%2FL4kq%2Bx&partNumber=2'), 'partNumber=2&versionId=3%2FL4kq%2Bx');
  assert.equal(q("response-content-disposition=attachment%3B%20filename%3D%22a%20(1).txt%22"), 'response-content-disposition=attachment%3B%20filename%3D%22a%20%281%29.txt%22');
});

test('reads + in viewer values as a space (form encoding) and %2B as a plus', () => {
  assert.equal(q('response-content-type=text/plain;+charset=utf-8'), 'response-content-type=text%2Fplain%3B%20charset%3Dutf-8');
  assert.equal(q('versionId=a%2Bb'), 'versionId=a%2Bb');
});

test('keeps valueless sub-resources', () => {
  assert.equal(q('uploads'), 'uploads');
});

test('refuses invalid percent-encoding in a kept parameter', () => {
  const r = upstreamQuery('versionId=%zz');
  assert.ok('error' in r);
  assert.match(r.error, /versionId/);
});
