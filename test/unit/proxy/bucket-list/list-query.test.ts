// A viewer's ListObjectsV2 / ListObjects → the store's listing: never above keyPrefix, start-after
// and marker moved under it, always encoding-type=url, other bucket operations refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResolvedBlock } from '../../../../src/config/types.js';
import { namesListing, planList } from '../../../../src/proxy/bucket-list/list-query.js';
import { continuationToken, pastHidden, resumeOf, storeStartAfter } from '../../../../src/proxy/bucket-list/list-token.js';

const block = { path: '/live/', keyPrefix: 'media/live/', basePath: '/bucket/', access: undefined } as unknown as ResolvedBlock;
const query = (raw: string): string => {
  const plan = planList(block, raw);
  assert.ok(!('error' in plan), JSON.stringify(plan));
  assert.equal(plan.target.path, '/bucket/');
  return plan.target.query;
};
const refusal = (raw: string): string => {
  const plan = planList(block, raw);
  assert.ok('error' in plan, `${raw} is refused`);
  return plan.error;
};

test('the store is asked for keyPrefix + prefix, in its encoding, one page of at most 1000', () => {
  assert.equal(query(''), 'encoding-type=url&max-keys=1000&prefix=media%2Flive%2F');
  assert.equal(query('list-type=2&prefix=a%20b/&delimiter=%2F&max-keys=5000'), 'delimiter=%2F&encoding-type=url&list-type=2&max-keys=1000&prefix=media%2Flive%2Fa%20b%2F');
  assert.equal(query('list-type=2&prefix=..%2F..%2F&max-keys=2'), 'encoding-type=url&list-type=2&max-keys=2&prefix=media%2Flive%2F..%2F..%2F', 'a prefix is a string filter: ../ lists keys that begin with it, under keyPrefix');
  assert.equal(query('list-type=2&start-after=up%2Fa.txt'), 'encoding-type=url&list-type=2&max-keys=1000&prefix=media%2Flive%2F&start-after=media%2Flive%2Fup%2Fa.txt');
  assert.equal(query('marker=up%2Fa+b.txt&prefix=up%2F'), 'encoding-type=url&marker=media%2Flive%2Fup%2Fa%20b.txt&max-keys=1000&prefix=media%2Flive%2Fup%2F', 'ListObjects: the marker moves under keyPrefix; + is a space');
});

test("the viewer's own encoding choice, fetch-owner, an SDK's x-id and cache-busters do not reach the store", () => {
  assert.equal(query('list-type=2&encoding-type=url&fetch-owner=true&x-id=ListObjectsV2&cb=123'), 'encoding-type=url&list-type=2&max-keys=1000&prefix=media%2Flive%2F');
  const plan = planList(block, 'list-type=2&encoding-type=url&prefix=a');
  assert.ok(!('error' in plan) && plan.ask.encodingUrl && plan.ask.version === 2 && plan.ask.prefix === 'a');
});

test('other bucket operations and broken parameters are refused', () => {
  for (const raw of ['versions', 'uploads', 'location', 'acl', 'policy', 'list-type=2&x-id=DeleteObjects', 'delete', 'prefix=a&prefix=b']) assert.equal(refusal(raw), 'OS_ERR_SUBRESOURCE_REFUSED', raw);
  for (const raw of ['list-type=3', 'encoding-type=xml', 'max-keys=-1', 'max-keys=ten', 'prefix=%ZZ', 'prefix=a%0Ab']) assert.equal(refusal(raw), 'OS_ERR_BAD_REQUEST', raw);
});

test("a site block's root is a listing only when the query names a list parameter", () => {
  for (const raw of ['list-type=2', 'prefix=', 'delimiter=/', 'a=1&marker=x', 'max-keys=3', 'encoding-type=url']) assert.ok(namesListing(raw), raw);
  for (const raw of ['', 'cb=1', 'listing=2', 'xprefix=a']) assert.ok(!namesListing(raw), raw);
});

// Regression "a listing leaked the names a nested block hides": the store's continuation token (MinIO,
// the strict origin) carried its last key, hidden ones included, and a start-after just before a
// hidden name told whether it existed. The token is the proxy's own; start points are moved past
// hidden prefixes — past every key a prefix can have, up to S3's 1,024 bytes (review: keys with
// U+10FFFF after the prefix sorted after a single U+10FFFF, and the pages looped).
test('continuation tokens are the proxy\'s own, and a start point inside a hidden prefix is moved past it', () => {
  const token = continuationToken({ after: 'up/b.txt', past: false });
  assert.deepEqual(resumeOf(token), { after: 'up/b.txt', past: false });
  assert.deepEqual(resumeOf(continuationToken({ after: 'seg/', past: true })), { after: 'seg/', past: true });
  assert.equal(resumeOf('os1.!!!'), undefined, 'not base64url');
  assert.equal(resumeOf('opaque-store-token'), undefined);
  const plan = planList(block, `list-type=2&start-after=zzz&continuation-token=${encodeURIComponent(token)}`);
  assert.ok(!('error' in plan));
  assert.equal(plan.target.query, 'encoding-type=url&list-type=2&max-keys=1000&prefix=media%2Flive%2F&start-after=media%2Flive%2Fup%2Fb.txt', 'the token wins over start-after; no token reaches the store');
  const foreign = planList(block, 'list-type=2&continuation-token=opaque-store-token');
  assert.ok('error' in foreign && /not one this proxy gave/.test(foreign.detail));

  const hidden = ['private/'];
  const pastPrivate = storeStartAfter({ after: 'private/', past: true }, 'media/live/', []);
  assert.equal(Buffer.byteLength(pastPrivate), 1024, 'as long as S3\'s longest key');
  assert.ok(pastPrivate.startsWith('media/live/private/\u{10FFFF}\u{10FFFF}'));
  for (const key of ['media/live/private/\u{10FFFF}x', `media/live/private/${'\u{10FFFF}'.repeat(250)}\uFFFF`, 'media/live/private/zzz']) {
    assert.ok(Buffer.compare(Buffer.from(key), Buffer.from(pastPrivate)) < 0, `${JSON.stringify(key.slice(0, 40))} sorts before it`);
  }
  assert.ok(Buffer.compare(Buffer.from('media/live/privatf'), Buffer.from(pastPrivate)) > 0, 'the next key outside it sorts after');
  for (const raw of [
    'list-type=2&start-after=private%2Fpayroll.xlsx',
    `list-type=2&continuation-token=${encodeURIComponent(continuationToken({ after: 'private/z-plan.pdf', past: false }))}`,
    'marker=private%2Fpayroll.xlsx',
  ]) {
    const p = planList(block, raw, hidden);
    assert.ok(!('error' in p), raw);
    const sent = new URLSearchParams(p.target.query);
    assert.equal(sent.get('start-after') ?? sent.get('marker'), pastPrivate, raw);
  }
  const near = planList(block, 'list-type=2&start-after=privat', hidden);
  assert.ok(!('error' in near) && near.target.query.endsWith('start-after=media%2Flive%2Fprivat'), 'a point outside the hidden prefix is kept');
  assert.deepEqual(pastHidden({ after: 'private/x', past: false }, hidden), { after: 'private/', past: true });
});
