// signing/derived-key-cache.ts: the cache both signers' derived keys live in (SigV4 per scope,
// SigV4A per credentials) derives once per credentials and scope, and holds at most `max`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DerivedKeyCache } from '../../../src/signing/derived-key-cache.js';

const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-one' };

test('one derivation per credentials and scope; another scope or a rotated secret derives again', () => {
  const cache = new DerivedKeyCache<string>(8);
  let derived = 0;
  const get = (c: typeof creds, scope: string): string => cache.get(c, c.secretAccessKey, scope, () => `${c.secretAccessKey}${scope}#${++derived}`);
  assert.equal(get(creds, '/a'), 'secret-one/a#1');
  assert.equal(get(creds, '/a'), 'secret-one/a#1', 'kept');
  assert.equal(get({ ...creds }, '/a'), 'secret-one/a#1', 'equal credentials in another object share the entry');
  assert.equal(get(creds, '/b'), 'secret-one/b#2');
  assert.equal(get({ ...creds, secretAccessKey: 'secret-two' }, '/a'), 'secret-two/a#3');
  assert.equal(cache.size, 3);
});

test('at most max entries: the oldest goes first', () => {
  const cache = new DerivedKeyCache<number>(2);
  let derived = 0;
  const get = (scope: string): number => cache.get(creds, creds.secretAccessKey, scope, () => ++derived);
  get('/1');
  get('/2');
  get('/3');
  assert.equal(cache.size, 2, 'bounded');
  assert.equal(get('/3'), 3, 'the newest is kept');
  assert.equal(get('/1'), 4, 'the oldest was dropped and is derived again');
});
