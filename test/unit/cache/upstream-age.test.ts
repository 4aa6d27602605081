// RFC 9111 §4.2, §5.1: the Age a store behind another cache sends counts against the answer's
// lifetime; a value that is not a non-negative integer is none, and a huge one is capped at 2^31 s.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshFor, upstreamAgeMs } from '../../../src/cache/freshness.js';
import type { BlockCache } from '../../../src/config/types.js';

const rules: BlockCache = { ttlMs: 60_000, maxTtlMs: 3_600_000, notFoundTtlMs: 0, staleWhileRevalidateMs: 0, staleIfErrorMs: 0, sliceBytes: undefined, keyQuery: [] };
const NOW = Date.parse('2026-12-07T12:00:00Z');

test('Age is whole seconds; anything else is no age', () => {
  assert.equal(upstreamAgeMs({ age: '50' }), 50_000);
  assert.equal(upstreamAgeMs({ age: ' 7 ' }), 7_000);
  assert.equal(upstreamAgeMs({ age: ['3', '9'] }), 3_000);
  for (const age of ['-1', '1.5', 'soon', '']) assert.equal(upstreamAgeMs({ age }), 0, age);
  assert.equal(upstreamAgeMs({}), 0);
  assert.equal(upstreamAgeMs({ age: '99999999999999' }), 2 ** 31 * 1000);
});

test('the age is taken from the lifetime, never below zero; what is not kept stays not kept', () => {
  assert.equal(freshFor({ 'cache-control': 'max-age=60' }, rules, NOW, 50_000), 10_000);
  assert.equal(freshFor({ 'cache-control': 'max-age=60' }, rules, NOW, 90_000), 0);
  assert.equal(freshFor({}, rules, NOW, 20_000), 40_000, 'the block ttl too');
  assert.equal(freshFor({ 'cache-control': 'no-store' }, rules, NOW, 20_000), undefined);
});
