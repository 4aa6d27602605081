/**
 * Keys with space, +, =, @, ( ), %, //, a trailing /, and unicode round-trip
 * byte-exact through PUT (aws4-signed, canonical wire encoding), GET, listing
 * and the store, path-style and virtual-hosted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET, encodeKey, origin, s3, xmlFields } from '../../support/origin-client.js';

const KEYS = [
  'a b.txt',
  'a+b.txt',
  'a=b&c.txt',
  'user@example.com',
  'report (final).csv',
  '100% done',
  'folder//sub///file.txt',
  'dir/',
  'a/./b/../c.txt',
  'vidéos/日本 file+name (1).mp4',
  'emoji-😀.bin',
  "quote'\"<tag>.xml",
  '~tilde*star!bang',
];

for (const style of ['path', 'virtual'] as const) {
  test(`${style}-style: awkward keys round-trip byte-exact`, async (t) => {
    const o = await origin(t);
    const host = style === 'virtual' ? `${BUCKET}.localhost:${o.port}` : undefined;
    for (const [i, key] of KEYS.entries()) {
      const path = style === 'virtual' ? `/${encodeKey(key)}` : `/${BUCKET}/${encodeKey(key)}`;
      const body = Buffer.from(`body #${i} for ${key}`, 'utf8');
      const put = await s3(o, { method: 'PUT', path, body, ...(host ? { host } : {}) });
      assert.equal(put.status, 200, `${key}: ${put.text}`);
      assert.deepEqual(await o.getObject(BUCKET, key), body, key);
      const get = await s3(o, { path, ...(host ? { host } : {}) });
      assert.equal(get.status, 200, `${key}: ${get.text}`);
      assert.deepEqual(get.body, body, key);
    }
    const list = await s3(o, { path: style === 'virtual' ? '/?list-type=2' : `/${BUCKET}?list-type=2`, ...(host ? { host } : {}) });
    assert.equal(list.status, 200);
    const listed = xmlFields(list.text, 'Key').map((k) => k.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
    const utf8Sorted = [...KEYS].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    assert.deepEqual(listed, utf8Sorted);
  });
}
