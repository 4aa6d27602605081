// The store's listing (encoding-type=url, keys under keyPrefix) → the viewer's, as S3 answers for a
// bucket holding only the block: keyPrefix taken off everything, the viewer's encoding, no Owner,
// and a key the store lists outside keyPrefix never shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ListAsk } from '../../../../src/proxy/bucket-list/list-query.js';
import { encodeListValue, viewerListXml } from '../../../../src/proxy/bucket-list/list-result.js';
import { continuationToken } from '../../../../src/proxy/bucket-list/list-token.js';

const ask = (o: Partial<ListAsk> = {}): ListAsk => ({ version: 2, prefix: '', delimiter: undefined, maxKeys: 1000, encodingUrl: false, startAfter: undefined, continuationToken: undefined, marker: undefined, ...o });
const contents = (key: string, owner = ''): string => `<Contents><Key>${key}</Key><LastModified>2026-12-07T07:00:00.000Z</LastModified><ETag>&quot;abc&quot;</ETag><Size>5</Size>${owner}<StorageClass>STANDARD</StorageClass></Contents>`;
const store = (body: string, extra = ''): string => `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>private-bucket</Name><Prefix>media%2Flive%2F</Prefix><MaxKeys>1000</MaxKeys><EncodingType>url</EncodingType>${extra}${body}</ListBucketResult>`;

test('keys and prefixes lose keyPrefix; the name is the block; Owner and the store bucket are gone', () => {
  const xml = viewerListXml(
    store(`${contents('media/live/a+b.txt', '<Owner><ID>store-account-id</ID></Owner>')}${contents('media/live/caf%C3%A9%26%3C.ts')}<CommonPrefixes><Prefix>media/live/seg/</Prefix></CommonPrefixes>`, '<KeyCount>3</KeyCount><IsTruncated>true</IsTruncated><NextContinuationToken>opaque/token=</NextContinuationToken>'),
    ask({ delimiter: '/', continuationToken: 'before' }),
    'media/live/',
    'live',
  );
  assert.equal(
    xml,
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>live</Name><Prefix></Prefix><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><KeyCount>3</KeyCount><IsTruncated>true</IsTruncated><ContinuationToken>before</ContinuationToken><NextContinuationToken>${continuationToken({ after: 'seg/', past: true })}</NextContinuationToken>` +
      '<Contents><Key>a b.txt</Key><LastModified>2026-12-07T07:00:00.000Z</LastModified><ETag>&#34;abc&#34;</ETag><Size>5</Size><StorageClass>STANDARD</StorageClass></Contents>' +
      '<Contents><Key>café&#38;&#60;.ts</Key><LastModified>2026-12-07T07:00:00.000Z</LastModified><ETag>&#34;abc&#34;</ETag><Size>5</Size><StorageClass>STANDARD</StorageClass></Contents>' +
      '<CommonPrefixes><Prefix>seg/</Prefix></CommonPrefixes></ListBucketResult>',
  );
  assert.doesNotMatch(xml, /media|private-bucket|store-account-id|opaque/, 'nothing of the store, its token included');
});

test('encoding-type=url as the viewer asked: the relative key encoded the way SDKs decode it', () => {
  const xml = viewerListXml(store(contents('media/live/a+b%2B%01%C3%A9.txt')), ask({ encodingUrl: true, prefix: 'a b' }), 'media/live/', 'live');
  assert.match(xml, /<Prefix>a\+b<\/Prefix>.*<EncodingType>url<\/EncodingType>.*<Key>a\+b%2B%01%C3%A9\.txt<\/Key>/);
  assert.equal(encodeListValue("a b+c/d~é!'()*"), 'a+b%2Bc/d~%C3%A9%21%27%28%29%2A');
});

test('ListObjects: Marker as the viewer gave it, NextMarker under the block; KeyCount only in V2', () => {
  const xml = viewerListXml(store(contents('media/live/b.txt'), '<Marker>media%2Flive%2Fa.txt</Marker><NextMarker>media%2Flive%2Fb.txt</NextMarker><IsTruncated>true</IsTruncated>'), ask({ version: 1, marker: 'a.txt', delimiter: '/' }), 'media/live/', 'live');
  assert.match(xml, /<Marker>a\.txt<\/Marker><NextMarker>b\.txt<\/NextMarker>/);
  assert.doesNotMatch(xml, /KeyCount/);
});

test("regression: NextMarker comes from the page's last entry, not the store's (Ceph RGW leaves it unencoded under encoding-type=url)", () => {
  // RGW 16: <Key>plus%2Bsign.ts</Key> but <NextMarker>plus+sign.ts</NextMarker>; read as url-encoded, the next page would start after "plus sign.ts".
  const rgw = store(`${contents('media/live/a.txt')}${contents('media/live/plus%2Bsign.ts')}`, '<IsTruncated>true</IsTruncated><NextMarker>media/live/plus+sign.ts</NextMarker>');
  assert.match(viewerListXml(rgw, ask({ version: 1, delimiter: '/' }), 'media/live/', 'live'), /<NextMarker>plus\+sign\.ts<\/NextMarker>/);
  assert.match(viewerListXml(rgw, ask({ version: 1, delimiter: '/', encodingUrl: true }), 'media/live/', 'live'), /<NextMarker>plus%2Bsign\.ts<\/NextMarker>/);
  assert.match(viewerListXml(rgw, ask({ version: 1 }), 'media/live/', 'live'), /<NextMarker>plus\+sign\.ts<\/NextMarker>/, 'without a delimiter too (S3 leaves it out), so a client pages past what is left out');
  const folders = store(`${contents('media/live/a.txt')}<CommonPrefixes><Prefix>media/live/z/</Prefix></CommonPrefixes>`, '<IsTruncated>true</IsTruncated>');
  assert.match(viewerListXml(folders, ask({ version: 1, delimiter: '/' }), 'media/live/', 'live'), /<NextMarker>z\/<\/NextMarker>/, 'a folder after the last key');
});

test('a key the store lists outside keyPrefix (a broken store) is left out, and KeyCount counts what is shown', () => {
  const xml = viewerListXml(store(`${contents('media/live/in.txt')}${contents('media/other/secret.txt')}${contents('media/livestock.txt')}<CommonPrefixes><Prefix>elsewhere/</Prefix></CommonPrefixes>`, '<IsTruncated>false</IsTruncated>'), ask(), 'media/live/', 'live');
  assert.match(xml, /<KeyCount>1<\/KeyCount>/);
  assert.match(xml, /<Key>in\.txt<\/Key>/);
  assert.doesNotMatch(xml, /secret|livestock|elsewhere/);
});

test("what nested blocks serve and keyPrefix's own folder marker are left out; paging goes past them without naming them", () => {
  const page = store(`${contents('media/live/')}${contents('media/live/a.txt')}${contents('media/live/private/one.mp4')}${contents('media/live/private/two.mp4')}`, '<IsTruncated>true</IsTruncated>');
  const xml = viewerListXml(page, ask({ version: 1 }), 'media/live/', 'live', ['private/']);
  assert.match(xml, /<Contents><Key>a\.txt<\/Key>/);
  assert.doesNotMatch(xml, /<Key><\/Key>|one\.mp4|two\.mp4/);
  assert.match(xml, /<NextMarker>private\/\u{10FFFF}<\/NextMarker>/u, 'past every key under private/, before any that is not');
  assert.ok(Buffer.compare(Buffer.from('private/\u{10FFFF}'), Buffer.from('private/zzz/\u{FFFF}.mp4')) > 0 && Buffer.compare(Buffer.from('private/\u{10FFFF}'), Buffer.from('private0')) < 0);
  assert.match(viewerListXml(page, ask({ version: 2 }), 'media/live/', 'live', ['private/']), /<KeyCount>1<\/KeyCount>/);
});

test('an answer that is no ListBucketResult is an error, not an empty listing', () => {
  assert.throws(() => viewerListXml('<Error><Code>InternalError</Code></Error>', ask(), 'media/live/', 'live'), /ListBucketResult/);
});
