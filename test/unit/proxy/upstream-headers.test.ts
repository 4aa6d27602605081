// DESIGN step 4: which viewer headers go upstream.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { upstreamHeaders } from '../../../src/proxy/upstream-headers.js';

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
