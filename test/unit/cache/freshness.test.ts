// RFC 9111 §4.2.1 / §5.2: how long a stored answer is fresh, from the object's own metadata
// first, the block's ttl otherwise, always capped by maxTtl; no-store and private are never kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshFor } from '../../../src/cache/freshness.js';
import type { BlockCache } from '../../../src/config/types.js';

const rules: BlockCache = { ttlMs: 60_000, maxTtlMs: 3_600_000, notFoundTtlMs: 0, staleWhileRevalidateMs: 0, staleIfErrorMs: 0, sliceBytes: undefined, keyQuery: [] };
const NOW = Date.parse('2026-12-06T12:00:00Z');

test('an object that says nothing is fresh for the block ttl', () => {
  assert.equal(freshFor({}, rules, NOW), 60_000);
});

test('s-maxage wins over max-age, which wins over ttl; both capped by maxTtl', () => {
  assert.equal(freshFor({ 'cache-control': 'max-age=10' }, rules, NOW), 10_000);
  assert.equal(freshFor({ 'cache-control': 'public, max-age=10, s-maxage=20' }, rules, NOW), 20_000);
  assert.equal(freshFor({ 'cache-control': 'max-age=999999' }, rules, NOW), 3_600_000);
  assert.equal(freshFor({ 'cache-control': 'MAX-AGE=5' }, rules, NOW), 5_000, 'directive names are case-insensitive');
});

test('no-store and private are not kept; no-cache is kept but revalidated every time', () => {
  assert.equal(freshFor({ 'cache-control': 'no-store' }, rules, NOW), undefined);
  assert.equal(freshFor({ 'cache-control': 'private, max-age=60' }, rules, NOW), undefined);
  assert.equal(freshFor({ 'cache-control': 'no-cache' }, rules, NOW), 0);
});

test('Expires counts from the Date header, else from now; an invalid one means expired', () => {
  const date = new Date(NOW - 5000).toUTCString();
  const expires = new Date(NOW + 25_000).toUTCString();
  assert.equal(freshFor({ expires, date }, rules, NOW), 30_000);
  assert.equal(freshFor({ expires }, rules, NOW), 25_000);
  assert.equal(freshFor({ expires: '0' }, rules, NOW), 0);
  assert.equal(freshFor({ expires: new Date(NOW - 1000).toUTCString() }, rules, NOW), 0);
  assert.equal(freshFor({ expires, 'cache-control': 'max-age=3' }, rules, NOW), 3_000, 'max-age wins over Expires');
});

test('a ttl above maxTtl is capped too', () => {
  assert.equal(freshFor({}, { ...rules, ttlMs: 10_000_000 }, NOW), 3_600_000);
});
