// How the shared tier lays out the shield's keys in Redis (src/cache/shared-keys.ts): every key of
// an object finds its object's index, an index name and a purge pattern hold no glob character, and
// a value is only ever read back as the entry of the key it was written for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseOfKey, cacheKeyOf, objectBase, prefixBase, sliceKey } from '../../../src/cache/cache-key.js';
import type { Entry } from '../../../src/cache/entry.js';
import { decodeEntry, encodeEntry, entryKey, indexKey, indexOfKey, indexPattern, NAMESPACE } from '../../../src/cache/shared-keys.js';
import type { ResolvedBlock } from '../../../src/config/types.js';

const block = { path: '/live/', origin: 'http://127.0.0.1:9000', basePath: '/bkt/', keyPrefix: '' } as ResolvedBlock;
const base = objectBase(block, '/bkt/ch%2A/a%5B1%5D%3F.ts');

test('the base of a key: itself, a query variant, a slice, a slice of a variant', () => {
  for (const key of [base, `${base}?versionId=3`, sliceKey(base, '"etag\\n?x"', 7), sliceKey(`${base}?versionId=3`, '"e"', 0), cacheKeyOf(block, '/bkt/ch%2A/a%5B1%5D%3F.ts', 'versionId=1', new Set(['versionId']))!]) {
    assert.equal(baseOfKey(key), base, JSON.stringify(key));
    assert.equal(indexOfKey(key), indexKey(base));
  }
});

test('index names and purge patterns are hex after the namespace: no glob character, byte prefixes kept', () => {
  const name = indexKey(base);
  assert.match(name.slice(NAMESPACE.length), /^o:[0-9a-f]+$/);
  const pattern = indexPattern(prefixBase(block, 'ch*/'));
  assert.match(pattern.slice(NAMESPACE.length), /^o:[0-9a-f]+\*$/);
  assert.ok(name.startsWith(pattern.slice(0, -1)), 'the object is under its prefix');
  assert.ok(!indexKey(objectBase(block, '/bkt/chx/c.ts')).startsWith(pattern.slice(0, -1)), 'a key the glob would have matched is not');
  assert.match(entryKey(base).slice(NAMESPACE.length), /^e:[0-9a-f]{64}$/);
});

test('an entry round-trips, and is refused under another key or when damaged', () => {
  const entry: Entry = { meta: { status: 200, headers: { 'content-type': 'video/mp2t', etag: '"abc"' }, etag: '"abc"', objectSize: 5, storedAt: 1000, freshUntil: 2000 }, body: Buffer.from('bytes') };
  const value = encodeEntry(base, entry);
  const back = decodeEntry(base, value)!;
  assert.deepEqual(back.meta, entry.meta);
  assert.ok(back.body.equals(entry.body));
  assert.equal(decodeEntry(`${base}?versionId=1`, value), undefined, 'another key\'s value');
  assert.equal(decodeEntry(base, value.subarray(0, 10)), undefined, 'cut short');
  assert.equal(decodeEntry(base, Buffer.from('garbage!')), undefined);
});
