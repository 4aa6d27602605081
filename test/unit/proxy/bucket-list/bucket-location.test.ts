// GetBucketLocation on a listObjects block (README "Listing a block like a bucket"): which queries
// are it, and the region each block answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResolvedBlock } from '../../../../src/config/types.js';
import { asksLocation, locationConstraint } from '../../../../src/proxy/bucket-list/bucket-location.js';

test('?location is GetBucketLocation, with the SDK x-id or a cache-buster beside it', () => {
  for (const q of ['location', 'location=', 'location&x-id=GetBucketLocation', 'x-id=GetBucketLocation&location', 'location&_=123']) assert.equal(asksLocation(q), true, q);
});

test('not GetBucketLocation: no location, a value, another operation, a listing parameter, another x-id, an encoded name', () => {
  for (const q of ['', 'list-type=2', 'location=eu', 'location&versions', 'location&acl', 'location&prefix=a', 'location&list-type=2', 'location&x-id=ListObjectsV2', 'x-id=GetBucketLocation', '%6Cocation', 'locations']) {
    assert.equal(asksLocation(q), false, q);
  }
});

test("the block's region, empty for us-east-1 and for no single region", () => {
  const block = (region: string | undefined): ResolvedBlock => ({ region }) as ResolvedBlock;
  assert.equal(locationConstraint(block('eu-west-1')), 'eu-west-1');
  assert.equal(locationConstraint(block('us-east-1')), '');
  assert.equal(locationConstraint(block('*')), '');
  assert.equal(locationConstraint(block(undefined)), '');
});
