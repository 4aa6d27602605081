// What names a cached object: block, store, upstream path and the listed query parameters only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { belongsTo, cacheKeyOf, objectBase, prefixBase, sliceKey } from '../../../src/cache/cache-key.js';
import type { ResolvedBlock } from '../../../src/config/types.js';

const block = { path: '/live/', origin: 'https://bkt.s3.us-east-1.amazonaws.com', basePath: '/', keyPrefix: 'media/' } as ResolvedBlock;

test('a read whose forwarded query is all listed is cached under it; any other forwarded parameter is not cached', () => {
  assert.equal(cacheKeyOf(block, '/media/a.ts', '', new Set()), '/live/\nhttps://bkt.s3.us-east-1.amazonaws.com/media/a.ts');
  assert.equal(cacheKeyOf(block, '/media/a.ts', 'versionId=3', new Set(['versionId'])), '/live/\nhttps://bkt.s3.us-east-1.amazonaws.com/media/a.ts?versionId=3');
  assert.equal(cacheKeyOf(block, '/media/a.ts', 'versionId=3', new Set()), undefined);
  assert.equal(cacheKeyOf(block, '/media/a.ts', 'partNumber=1&versionId=3', new Set(['versionId'])), undefined);
});

test('an object owns its query variants and slices, not keys that merely start like it', () => {
  const base = objectBase(block, '/media/a.ts');
  assert.ok(belongsTo(base, base));
  assert.ok(belongsTo(`${base}?versionId=1`, base));
  assert.ok(belongsTo(sliceKey(base, '"e"', 3), base));
  assert.ok(!belongsTo(`${base}x`, base));
});

test('a purge prefix is encoded as the upstream path is', () => {
  assert.equal(prefixBase(block, 'a b/'), '/live/\nhttps://bkt.s3.us-east-1.amazonaws.com/media/a%20b/');
});
