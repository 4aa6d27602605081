// What names a cached object: block, its scope (store, signed host, viewer hosts, slice size),
// upstream path and the listed query parameters only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { belongsTo, cacheKeyOf, objectBase, prefixBase, sliceKey } from '../../../src/cache/cache-key.js';
import type { ResolvedBlock } from '../../../src/config/types.js';

const block = { path: '/live/', origin: 'https://bkt.s3.us-east-1.amazonaws.com', host: 'bkt.s3.us-east-1.amazonaws.com', basePath: '/', keyPrefix: 'media/' } as ResolvedBlock;
const SCOPE = 'https://bkt.s3.us-east-1.amazonaws.com|bkt.s3.us-east-1.amazonaws.com|*|0|';

test('a read whose forwarded query is all listed is cached under it; any other forwarded parameter is not cached', () => {
  assert.equal(cacheKeyOf(block, '/media/a.ts', '', new Set()), `/live/\n${SCOPE}/media/a.ts`);
  assert.equal(cacheKeyOf(block, '/media/a.ts', 'versionId=3', new Set(['versionId'])), `/live/\n${SCOPE}/media/a.ts?versionId=3`);
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
  assert.equal(prefixBase(block, 'a b/'), `/live/\n${SCOPE}/media/a%20b/`);
});

test('blocks that read other bytes for one path never share a key', () => {
  const base = objectBase(block, '/media/a.ts');
  const others: Array<Partial<ResolvedBlock>> = [
    { host: 'ap-two-123456789012.s3-accesspoint.us-east-1.amazonaws.com' }, // another access point behind one endpoint
    { hosts: ['two.example'] }, // a same-path block for other viewer hosts
    { cache: { sliceBytes: 65536 } as ResolvedBlock['cache'] }, // sliced
  ];
  for (const o of others) {
    const other = objectBase({ ...block, ...o } as ResolvedBlock, '/media/a.ts');
    assert.notEqual(other, base, JSON.stringify(o));
    assert.ok(!belongsTo(other, base) && !belongsTo(base, other), JSON.stringify(o));
  }
  assert.notEqual(objectBase({ ...block, cache: { sliceBytes: 65536 } } as ResolvedBlock, '/a'), objectBase({ ...block, cache: { sliceBytes: 131072 } } as ResolvedBlock, '/a'));
});
