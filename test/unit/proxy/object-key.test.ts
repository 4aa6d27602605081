// README "What reaches the bucket", step 3: the rest of the path is decoded once as UTF-8 and refused when it could escape
// the bucket or keyPrefix, or could not be a key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeObjectKey, MAX_KEY_BYTES } from '../../../src/proxy/object-key.js';

const ok = (rest: string, prefix = ''): string => {
  const r = decodeObjectKey(rest, prefix);
  assert.ok('key' in r, `expected a key for ${JSON.stringify(rest)}, got ${JSON.stringify(r)}`);
  return r.key;
};
const refused = (rest: string, code: string, prefix = ''): void => {
  const r = decodeObjectKey(rest, prefix);
  assert.ok('error' in r, `expected ${code} for ${JSON.stringify(rest)}, got a key`);
  assert.equal(r.error, code, JSON.stringify(rest));
};

test('decodes percent-encoding once, keeping + and already-encoded-looking text', () => {
  assert.equal(ok('a%20b.mp4'), 'a b.mp4');
  assert.equal(ok('a+b.mp4'), 'a+b.mp4');
  assert.equal(ok('50%2525off'), '50%25off');
  assert.equal(ok('caf%C3%A9'), 'café');
  assert.equal(ok('a%2Fb'), 'a/b');
});

test('keeps doubled, leading-after-prefix and trailing slashes: they are part of S3 keys', () => {
  assert.equal(ok('a//b/'), 'a//b/');
  assert.equal(ok('/x'), '/x');
});

test('prepends keyPrefix', () => {
  assert.equal(ok('a.mp4', 'media/'), 'media/a.mp4');
});

test('refuses dot segments, raw or encoded in any case', () => {
  for (const p of ['..', '../x', 'a/../b', 'a/..', '.', './a', 'a/./b', '%2e%2e/x', '%2E%2E', 'a/%2e/b', '%2e%2E%2fsecret', 'a%2f..%2fb']) refused(p, 'OS_ERR_KEY_DOT_SEGMENT');
  // Dots that are not whole segments are fine.
  assert.equal(ok('a..b/...'), 'a..b/...');
  assert.equal(ok('.hidden'), '.hidden');
});

test('refuses NUL and control characters', () => {
  for (const p of ['a%00b', '%0a', 'a%0D%0Ab', '%7F', '%C2%85', '%1b[31m']) refused(p, 'OS_ERR_KEY_CONTROL_CHAR');
});

test('refuses invalid percent-encoding', () => {
  for (const p of ['%', 'a%2', '%zz', '%%41', 'a%G0']) refused(p, 'OS_ERR_KEY_BAD_ENCODING');
});

test('refuses invalid UTF-8: stray continuation bytes, overlong forms, encoded surrogates', () => {
  for (const p of ['%C3', '%80', '%C0%AF', '%E0%80%AF', '%ED%A0%80', '%F8%88%80%80%80', '%C3%28']) {
    refused(p, 'OS_ERR_KEY_BAD_UTF8');
  }
});

test('refuses keys over 1024 bytes, counting UTF-8 bytes and the keyPrefix', () => {
  assert.equal(ok('a'.repeat(MAX_KEY_BYTES)).length, MAX_KEY_BYTES);
  refused('a'.repeat(MAX_KEY_BYTES + 1), 'OS_ERR_KEY_TOO_LONG');
  refused('%C3%A9'.repeat(513), 'OS_ERR_KEY_TOO_LONG'); // 513 × 2 bytes
  refused('a'.repeat(MAX_KEY_BYTES - 3), 'OS_ERR_KEY_TOO_LONG', 'abcd');
});

test('refuses an empty key', () => {
  refused('', 'OS_ERR_KEY_EMPTY');
});
