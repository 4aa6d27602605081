// Regression: a site listing over Ceph RGW (SigV2 blocks list with ListObjects) went on from the
// store's NextMarker, which RGW writes unencoded under encoding-type=url: after `plus+sign.ts` it
// asked for the page after "plus sign.ts" and listed rows twice. It now goes on after the page's
// last entry, in S3's order (UTF-8 bytes, not JavaScript's UTF-16 comparison).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readListPage } from '../../../../src/proxy/site/list-page.js';

const page = (inner: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Prefix>docs%2F</Prefix><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>${inner}</ListBucketResult>`;
const obj = (key: string): string => `<Contents><Key>${key}</Key><Size>1</Size></Contents>`;

test("ListObjects goes on after the page's last entry, not RGW's unencoded NextMarker", () => {
  const r = readListPage(page(`${obj('docs%2Fa.txt')}${obj('docs%2Fplus%2Bsign.ts')}<NextMarker>docs/plus+sign.ts</NextMarker>`), 'docs/');
  assert.equal(r.next, 'docs/plus+sign.ts');
});

test('the last entry in UTF-8 byte order: an emoji after U+FF46', () => {
  // U+1F600 is 0xF0… in UTF-8 (after U+FF46's 0xEF…) but a surrogate 0xD83D in UTF-16 (before 0xFF46).
  const r = readListPage(page(`${obj('docs%2F%EF%BD%86.txt')}${obj('docs%2F%F0%9F%98%80.txt')}`), 'docs/');
  assert.equal(r.next, 'docs/😀.txt');
  const folders = readListPage(page(`${obj('docs%2Fa.txt')}<CommonPrefixes><Prefix>docs%2Fz%2F</Prefix></CommonPrefixes>`), 'docs/');
  assert.equal(folders.next, 'docs/z/', 'a folder after the last key');
});
