/** listKeys (pure): prefix, delimiter roll-up, max-keys, resumption, UTF-8 order; encoding-type=url. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeToken, encodeToken, listKeys, urlEncodeListValue, type ListParams } from '../src/list-objects.js';
import { compareUtf8, type ObjectMeta } from '../src/store.js';
import { S3Error } from '../src/s3-errors.js';

const objs = (keys: string[]): ObjectMeta[] =>
  keys
    .map((key) => ({ key, size: 1, etag: '"e"', lastModified: 0, file: '', contentType: 'x', metadata: {}, headers: {} }))
    .sort((a, b) => compareUtf8(a.key, b.key));
const P = (p: Partial<ListParams>): ListParams => ({ prefix: '', delimiter: '', maxKeys: 1000, after: undefined, encodingUrl: false, ...p });

const KEYS = ['a.txt', 'photos/2024/a.jpg', 'photos/2024/b.jpg', 'photos/2025/c.jpg', 'photos/x.jpg', 'z'];

test('prefix + delimiter roll up into CommonPrefixes', () => {
  const r = listKeys(objs(KEYS), P({ prefix: 'photos/', delimiter: '/' }));
  assert.deepEqual(r.contents.map((o) => o.key), ['photos/x.jpg']);
  assert.deepEqual(r.commonPrefixes, ['photos/2024/', 'photos/2025/']);
  assert.equal(r.isTruncated, false);
});

test('max-keys counts a common prefix once and resumes after it', () => {
  const all = objs(KEYS);
  const first = listKeys(all, P({ delimiter: '/', maxKeys: 2 }));
  assert.deepEqual([...first.contents.map((o) => o.key), ...first.commonPrefixes], ['a.txt', 'photos/']);
  assert.equal(first.isTruncated, true);
  const second = listKeys(all, P({ delimiter: '/', maxKeys: 2, after: first.last }));
  assert.deepEqual(second.contents.map((o) => o.key), ['z']);
  assert.deepEqual(second.commonPrefixes, []);
  assert.equal(second.isTruncated, false);
});

test('max-keys=0 returns nothing and is not truncated', () => {
  const r = listKeys(objs(KEYS), P({ maxKeys: 0 }));
  assert.equal(r.contents.length + r.commonPrefixes.length, 0);
  assert.equal(r.isTruncated, false);
});

test('keys are in UTF-8 binary order, not UTF-16 order', () => {
  // U+FF21 (3 UTF-8 bytes) sorts before U+1F600 (4 bytes, a surrogate pair in UTF-16: 0xD83D < 0xFF21)
  const r = listKeys(objs(['😀', 'Ａ']), P({}));
  assert.deepEqual(r.contents.map((o) => o.key), ['Ａ', '😀']);
});

test('property: paging with any max-keys yields exactly the unpaged listing', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.string({ unit: fc.constantFrom('a', 'b', '/', 'é'), minLength: 1, maxLength: 6 }), { maxLength: 30 }),
      fc.integer({ min: 1, max: 7 }),
      fc.constantFrom('', '/'),
      fc.constantFrom('', 'a', 'a/'),
      (keys, max, delimiter, prefix) => {
        const all = objs(keys);
        const whole = listKeys(all, P({ delimiter, prefix }));
        const seen: string[] = [];
        let after: string | undefined;
        for (let i = 0; i < 100; i++) {
          const page = listKeys(all, P({ delimiter, prefix, maxKeys: max, after }));
          assert.ok(page.contents.length + page.commonPrefixes.length <= max);
          seen.push(...page.contents.map((o) => 'K' + o.key), ...page.commonPrefixes.map((c) => 'P' + c));
          if (!page.isTruncated) break;
          after = decodeToken(encodeToken(page.last as string));
        }
        const expected = [...whole.contents.map((o) => 'K' + o.key), ...whole.commonPrefixes.map((c) => 'P' + c)];
        assert.deepEqual(seen.sort(), expected.sort());
      },
    ),
  );
});

test('a forged continuation token is InvalidArgument', () => {
  assert.throws(() => decodeToken('not-a-token'), (e: unknown) => e instanceof S3Error && e.code === 'InvalidArgument');
});

test('encoding-type=url: spaces as "+", plus as %2B, "/" kept', () => {
  assert.equal(urlEncodeListValue('a b+c/é&'), 'a+b%2Bc/%C3%A9%26');
  assert.equal(decodeURIComponent(urlEncodeListValue('x y+z/ü').replace(/\+/g, ' ')), 'x y+z/ü');
});
