// The memory tier stays under memory.maxSize with what it keeps and what fills hold together.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Entry } from '../../../src/cache/entry.js';
import { entryCost, MemoryStore } from '../../../src/cache/memory-store.js';

const entry = (bytes: number): Entry => ({ meta: { status: 200, headers: {}, etag: '"e"', objectSize: bytes, storedAt: 0, freshUntil: 1 }, body: Buffer.alloc(bytes) });

test('least recently used entries go first; the total never passes maxSize', () => {
  let evicted = 0;
  const m = new MemoryStore(10_000, () => evicted++);
  for (let i = 0; i < 10; i++) m.set(`k${i}`, entry(2000));
  assert.ok(m.stats().bytes <= 10_000, String(m.stats().bytes));
  assert.ok(evicted > 0);
  assert.equal(m.get('k0'), undefined);
  assert.ok(m.get('k9'));
});

test('fills reserve room: kept entries make way, and a reservation beyond maxSize is refused', () => {
  const m = new MemoryStore(10_000, () => undefined);
  m.set('a', entry(4000));
  m.set('b', entry(4000));
  assert.equal(m.reserve(5000), true);
  assert.ok(m.stats().bytes + m.stats().reserved <= 10_000);
  assert.equal(m.reserve(6000), false, 'fills already hold 5000 of 10000');
  m.release(5000);
  assert.equal(m.stats().reserved, 0);
});

test('an entry that does not fit beside the fills is not kept', () => {
  const m = new MemoryStore(10_000, () => undefined);
  assert.ok(m.reserve(8000));
  m.set('big', entry(4000));
  assert.equal(m.get('big'), undefined);
  assert.ok(entryCost('big', entry(4000)) > 4000, 'the key and headers count too');
});

test('deleteWhere drops the matching keys only', () => {
  const m = new MemoryStore(100_000, () => undefined);
  for (const k of ['/a/\nx', '/a/\nx?versionId=1', '/a/\ny', '/b/\nx']) m.set(k, entry(10));
  assert.equal(m.deleteWhere((k) => k.startsWith('/a/\nx')), 2);
  assert.ok(m.get('/a/\ny'));
  assert.ok(m.get('/b/\nx'));
});
