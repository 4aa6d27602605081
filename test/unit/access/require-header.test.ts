// The CDN's secret header: any of the configured values passes (rotation: old and new at once);
// any other value, a near miss, an empty value or no header fails.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secretHeaderMatcher } from '../../../src/access/require-header.js';

const OLD = 'old-secret-value-0001';
const NEW = 'new-secret-value-0002';

test('any of several values passes; others and absence fail', () => {
  const ok = secretHeaderMatcher([OLD, NEW]);
  assert.equal(ok(OLD), true, 'the old value (still rotating)');
  assert.equal(ok(NEW), true, 'the new value');
  for (const other of ['third-secret-value-03', '', OLD.slice(0, -1), `${OLD}1`, OLD.toUpperCase(), ` ${OLD}`, `${OLD},${NEW}`, `${OLD}\u0000`]) {
    assert.equal(ok(other), false, JSON.stringify(other));
  }
  assert.equal(ok(undefined), false, 'no header');
});

test('one value: only that value passes', () => {
  const ok = secretHeaderMatcher([NEW]);
  assert.equal(ok(NEW), true);
  assert.equal(ok(OLD), false, 'the retired value no longer passes');
});

test('values with non-ASCII bytes compare as bytes', () => {
  const ok = secretHeaderMatcher(['sécret-välue-ü']);
  assert.equal(ok('sécret-välue-ü'), true);
  assert.equal(ok('secret-value-u'), false);
});
