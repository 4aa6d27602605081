/** resolveS3Target (pure): an access point's host names its bucket, and the whole path is the key. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveS3Target } from '../src/addressing.js';

const AP_HOST = 'media-ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com';
const ACCESS_POINTS = new Map([[AP_HOST, 'media']]);

test('an access point host addresses its bucket, whole path as key, on any port', () => {
  assert.deepEqual(resolveS3Target(`${AP_HOST}:8443`, '/a/b%20c', 'localhost', ACCESS_POINTS), { bucket: 'media', key: 'a/b c', hostBucket: null });
  assert.deepEqual(resolveS3Target(AP_HOST.toUpperCase(), '/', 'localhost', ACCESS_POINTS), { bucket: 'media', key: undefined, hostBucket: null });
  // SigV2 signs a bucket only when it is the bucket's own host; an access point's is not, even under the suffix.
  assert.deepEqual(resolveS3Target(AP_HOST, '/k', 'amazonaws.com', ACCESS_POINTS), { bucket: 'media', key: 'k', hostBucket: null });
  // Any other host keeps S3's own addressing.
  assert.deepEqual(resolveS3Target('localhost:9000', '/a/b', 'localhost', ACCESS_POINTS), { bucket: 'a', key: 'b', hostBucket: null });
  assert.deepEqual(resolveS3Target('media.localhost', '/a/b', 'localhost', ACCESS_POINTS), { bucket: 'media', key: 'a/b', hostBucket: 'media' });
});
