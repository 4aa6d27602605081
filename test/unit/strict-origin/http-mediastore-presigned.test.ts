/**
 * mediastore mode, presigned: a generic service's presigned URL signs the payload's hash (the empty
 * one for a GET), not S3's UNSIGNED-PAYLOAD — aws4 signs it so for every service but S3, and
 * botocore's SigV4QueryAuth (1.43) keeps SigV4Auth.payload(). The origin used to demand
 * UNSIGNED-PAYLOAD here, so it refused the proxy's MediaStore query-mode reads, which were right.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CREDS, origin, raw, s3, signAws4, xmlField } from '../../support/origin-client.js';
import { EMPTY_SHA256 } from '../../../src/signing/hash.js';
import { toAmzDate } from '../../../src/signing/amz-date.js';
import { presignV4 } from '../../../src/signing/v4/presign.js';

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

  // The same request presigned with S3's UNSIGNED-PAYLOAD, everything else equal: refused.
  for (const [payloadHash, status] of [[EMPTY_SHA256, 200], ['UNSIGNED-PAYLOAD', 403]] as const) {
    const signed = presignV4({ method: 'GET', path: '/live/index.m3u8', query: '', headers: [['host', `127.0.0.1:${o.port}`]] }, CREDS, { region: 'us-east-1', service: 'mediastore', uriRule: 'generic' }, { amzDate: toAmzDate(Date.now()), expires: 300, payloadHash });
    const r = await raw(o.port, { path: `/live/index.m3u8?${signed.query}` });
    assert.equal(r.status, status, `${payloadHash}: ${r.text}`);
    if (status === 403) assert.equal(xmlField(r.text, 'Code'), 'SignatureDoesNotMatch');
  }
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
