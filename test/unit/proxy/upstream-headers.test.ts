// README "What reaches the bucket", step 5: which viewer headers go upstream.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { upstreamHeaders as fromViewer } from '../../../src/proxy/upstream-headers.js';

const viewer = {
  host: 'cdn.example',
  authorization: 'AWS4-HMAC-SHA256 Credential=VIEWER/...',
  'x-amz-date': '20260101T000000Z',
  'x-amz-security-token': 'viewer-token',
  'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
  'x-amz-acl': 'public-read',
  range: 'bytes=0-9',
  'if-none-match': '"abc"',
  'if-modified-since': 'Sun, 30 Aug 2015 12:36:00 GMT',
  'content-type': 'video/mp2t',
  'content-length': '10',
  'x-amz-meta-camera': 'A',
  'x-amz-checksum-sha256': 'abc=',
  'cache-control': 'max-age=60',
  connection: 'keep-alive',
  'transfer-encoding': 'chunked',
  cookie: 'session=1',
  'user-agent': 'curl',
  'x-forwarded-for': '10.0.0.1',
};

const upstreamHeaders = (...a: Parameters<typeof fromViewer>): Record<string, string> => {
  const r = fromViewer(...a);
  assert.ok('headers' in r, JSON.stringify(r));
  return r.headers;
};

test('reads forward range and conditional headers only', () => {
  assert.deepEqual(upstreamHeaders('GET', viewer, { includeHeaders: [] }), {
    range: 'bytes=0-9',
    'if-none-match': '"abc"',
    'if-modified-since': 'Sun, 30 Aug 2015 12:36:00 GMT',
  });
});

test('writes also forward entity and metadata headers, never a viewer x-amz-acl or credentials', () => {
  const h = upstreamHeaders('PUT', viewer, { includeHeaders: [] });
  assert.equal(h['content-type'], 'video/mp2t');
  assert.equal(h['content-length'], '10');
  assert.equal(h['x-amz-meta-camera'], 'A');
  assert.equal(h['x-amz-checksum-sha256'], 'abc=');
  assert.equal(h['cache-control'], 'max-age=60');
  for (const never of ['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'x-amz-acl', 'host', 'connection', 'transfer-encoding', 'cookie']) {
    assert.equal(h[never], undefined, never);
  }
});

test('includeHeaders adds viewer headers but can never re-enable credentials or hop-by-hop ones', () => {
  const h = upstreamHeaders('GET', viewer, { includeHeaders: ['user-agent', 'x-amz-acl', 'authorization', 'connection', 'x-amz-security-token'] });
  assert.equal(h['user-agent'], 'curl');
  assert.equal(h['x-amz-acl'], 'public-read');
  assert.equal(h.authorization, undefined);
  assert.equal(h.connection, undefined);
  assert.equal(h['x-amz-security-token'], undefined);
});

test('includeHeaders can never forward a copy or rename source, even from a config that skipped the check', () => {
  const sources = { 'x-amz-copy-source': '/other/secret', 'x-amz-copy-source-range': 'bytes=0-9', 'x-amz-rename-source': '/b/k', 'x-amz-tagging': 'a=b' };
  const h = upstreamHeaders('PUT', sources, { includeHeaders: Object.keys(sources) });
  assert.deepEqual(h, { 'x-amz-tagging': 'a=b' });
});

// Regression "one odd byte in a Range header hands the viewer our session token": a value some
// signers trim (0xA0) and stores keep could not be signed as sent; it is refused instead.
test('a forwarded header with a byte outside visible ASCII, SP and HTAB is refused, not signed', () => {
  for (const value of ['bytes=0-4\u00a0', '\u00a0bytes=0-4', 'bytes=0-4\u000b', 'bytes=0-4\u00ff', 'bytes=0\u20284']) {
    const r = fromViewer('GET', { range: value }, { includeHeaders: [] });
    assert.ok('error' in r, JSON.stringify(value));
    assert.match(r.error, /range/);
  }
  const meta = fromViewer('PUT', { 'x-amz-meta-title': 'caf\u00e9' }, { includeHeaders: [] });
  assert.ok('error' in meta);
  assert.deepEqual(fromViewer('GET', { range: 'bytes=0-4\t' }, { includeHeaders: [] }), { headers: { range: 'bytes=0-4\t' } });
  // Headers that are not forwarded are not judged.
  assert.deepEqual(fromViewer('GET', { 'user-agent': 'caf\u00e9' }, { includeHeaders: [] }), { headers: {} });
});
