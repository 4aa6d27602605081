/** The S3 canonical URI (decode once, encode once) and strict percent-decoding, by example and by property. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { percentDecode, s3CanonicalUri, uriEncode } from '../src/canonical-uri.js';
import { formDecode, parseQuery } from '../src/query.js';

test('examples from the S3 docs and botocore vectors', () => {
  assert.equal(s3CanonicalUri('/test$file.text'), '/test%24file.text');
  assert.equal(s3CanonicalUri('/a%2Bb%3Dc%26d.txt'), '/a%2Bb%3Dc%26d.txt');
  assert.equal(s3CanonicalUri('/a+b'), '/a%2Bb', '+ in a path is a literal plus');
  assert.equal(s3CanonicalUri('/a%2fb'), '/a/b', 'an encoded slash is a slash in the key');
  assert.equal(s3CanonicalUri('/folder//sub///file.txt'), '/folder//sub///file.txt');
  assert.equal(s3CanonicalUri('/a/./b/../c.txt'), '/a/./b/../c.txt');
  assert.equal(s3CanonicalUri('/~user/file~1.txt'), '/~user/file~1.txt');
  assert.equal(s3CanonicalUri('/already%2520encoded'), '/already%2520encoded');
  assert.equal(s3CanonicalUri('/pr%c3%a9f'), '/pr%C3%A9f', 'hex is upper-cased');
});

test('malformed escapes and invalid UTF-8 are rejected', () => {
  for (const bad of ['/%', '/%4', '/%zz', '/%C3%28', '/%FF', '/%ED%A0%80']) assert.equal(percentDecode(bad), undefined, bad);
});

test('property: decode(encode(key)) = key and encoding is idempotent on canonical paths', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (key) => {
      const wire = '/' + uriEncode(key, true);
      assert.equal(percentDecode(wire), '/' + key);
      assert.equal(s3CanonicalUri(wire), wire);
      // Any other spelling of the same key has the same canonical URI.
      assert.equal(s3CanonicalUri('/' + encodeURI(key).replace(/%25/g, '%25')), wire);
    }),
  );
});

test('query: "+" is a space, %2B a plus, a bare key has no value', () => {
  assert.equal(formDecode('a+b%2Bc'), 'a b+c');
  assert.deepEqual(parseQuery('acl&x=1&y=&&z=%41'), [
    { key: 'acl', value: '', hasValue: false },
    { key: 'x', value: '1', hasValue: true },
    { key: 'y', value: '', hasValue: true },
    { key: 'z', value: 'A', hasValue: true },
  ]);
  assert.equal(parseQuery('a=%zz'), undefined);
});
