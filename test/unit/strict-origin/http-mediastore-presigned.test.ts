/**
 * mediastore mode, presigned: a generic service's presigned URL signs the payload's hash (the empty
 * one for a GET), not S3's UNSIGNED-PAYLOAD — aws4 signs it so for every service but S3, and
 * botocore's SigV4QueryAuth (1.43) keeps SigV4Auth.payload(). The origin used to demand
 * UNSIGNED-PAYLOAD here, so it refused the proxy's MediaStore query-mode reads, which were right.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { origin, raw, s3, signAws4, xmlField } from '../../support/origin-client.js';

const MS = { service: 'mediastore' as const, buckets: [] };
/** aws4 adds X-Amz-Expires on its own only for S3. */
const EXPIRES = 'X-Amz-Expires=300';

test('a presigned GET signs the empty payload hash and is accepted; one signed UNSIGNED-PAYLOAD is not', async (t) => {
  const o = await origin(t, MS);
  await o.putObject('', 'live/index.m3u8', '#EXTM3U\n');
  const get = await s3(o, { path: `/live/index.m3u8?${EXPIRES}`, service: 'mediastore', signQuery: true });
  assert.equal(get.status, 200, get.text);
  assert.equal(get.text, '#EXTM3U\n');
  assert.equal(o.requests.at(-1)!.auth, 'v4-query');

  // The same URL with the signature S3's rule would give (aws4 signs S3 that way): refused.
  const asS3 = signAws4(o.port, { path: `/live/index.m3u8?${EXPIRES}`, service: 's3', signQuery: true });
  const forged = asS3.path.replace('%2Fs3%2F', '%2Fmediastore%2F');
  const r = await raw(o.port, { path: forged, headers: asS3.headers });
  assert.equal(r.status, 403, r.text);
  assert.equal(xmlField(r.text, 'Code'), 'SignatureDoesNotMatch');
});

test('a presigned PUT signs its body\'s hash: that body is stored, another is refused', async (t) => {
  const o = await origin(t, MS);
  const good = await s3(o, { method: 'PUT', path: `/live/seg1.ts?${EXPIRES}`, service: 'mediastore', signQuery: true, body: 'segment one' });
  assert.equal(good.status, 200, good.text);
  assert.equal(JSON.parse(good.text).ContentSHA256, createHash('sha256').update('segment one').digest('hex'));
  const { path, headers } = signAws4(o.port, { method: 'PUT', path: `/live/seg2.ts?${EXPIRES}`, service: 'mediastore', signQuery: true, body: 'segment two' });
  const other = await raw(o.port, { method: 'PUT', path, headers, body: 'segment 2!!' });
  assert.equal(other.status, 403, other.text);
  assert.equal(await o.getObject('', 'live/seg2.ts'), undefined);
});
