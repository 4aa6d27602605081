// Regression "DELETE ?uploadId deleted a MediaStore object": a MediaStore block forwarded S3's
// operation parameters, which MediaStore ignores, so an abort of an upload deleted the object, a
// part upload overwrote it with one part, and a read of a version served the current object.
// MediaStore's object operations take no parameter: each of the table's is refused there.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listQuery, MEDIASTORE_LIST_PARAMS, queryVerdict, upstreamQuery } from '../../../src/proxy/upstream-query.js';

const NONE = new Set<string>();

test('a MediaStore block forwards none of S3\'s operation parameters: each is refused', () => {
  for (const [method, raw] of [
    ['DELETE', 'uploadId=u1'], ['DELETE', 'versionId=v1'], ['PUT', 'partNumber=1&uploadId=u1'], ['POST', 'uploads'], ['POST', 'uploadId=u1'],
    ['GET', 'versionId=v1'], ['GET', 'partNumber=2'], ['GET', 'uploadId=u1'], ['HEAD', 'versionId=v1'], ['GET', 'tagging'],
  ] as const) {
    const r = upstreamQuery(method, raw, NONE, true, NONE, 'mediastore');
    assert.ok('error' in r && r.refused, `${method} ?${raw} on MediaStore: ${JSON.stringify(r)}`);
    // The same request to S3 is forwarded (or, for a bare sub-resource, refused as before).
    if (raw !== 'tagging') assert.ok('query' in upstreamQuery(method, raw, NONE, true, NONE, 's3'), `${method} ?${raw} on S3`);
  }
  assert.equal(queryVerdict('GET', 'uploadId', NONE, true, NONE, 'mediastore'), 'refuse', 'no ListParts on MediaStore');
  // Nor what query.allow or cache.key.query list (review: `query.allow: [versionId]` forwarded it).
  const keyed = new Set(['versionId', 'response-content-disposition']);
  const listed = upstreamQuery('GET', 'versionId=v1', NONE, false, keyed, 'mediastore');
  assert.ok('error' in listed && listed.refused, JSON.stringify(listed));
  assert.deepEqual(upstreamQuery('GET', 'response-content-disposition=inline', NONE, false, keyed, 'mediastore'), { query: '' }, 'dropped, as every override on a read');
  assert.deepEqual(upstreamQuery('GET', 'versionId=v1', NONE, false, keyed, 's3'), { query: 'versionId=v1' }, 'S3 forwards them');
});

test('a MediaStore block still drops cache-busters on reads, and takes plain writes', () => {
  assert.deepEqual(upstreamQuery('GET', 'cb=1&x-id=GetObject', NONE, true, NONE, 'mediastore'), { query: '' });
  assert.deepEqual(upstreamQuery('PUT', '', NONE, true, NONE, 'mediastore'), { query: '' });
  assert.deepEqual(upstreamQuery('DELETE', 'x-id=DeleteObject', NONE, true, NONE, 'mediastore'), { query: '' });
  const cb = upstreamQuery('PUT', 'cb=1', NONE, true, NONE, 'mediastore');
  assert.ok('error' in cb && cb.refused, 'a write never drops a parameter silently');
});

test('a MediaStore folder listing takes its paging parameters once each', () => {
  assert.deepEqual(listQuery('NextToken=t1&MaxResults=2&cb=1', MEDIASTORE_LIST_PARAMS), { query: 'MaxResults=2&NextToken=t1' });
  assert.match(String((listQuery('MaxResults=1&MaxResults=2', MEDIASTORE_LIST_PARAMS) as { error?: string }).error), /"MaxResults" is given twice/);
});
