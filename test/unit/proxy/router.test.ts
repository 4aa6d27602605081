import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRouter } from '../../../src/proxy/router.js';
import type { ResolvedBlock } from '../../../src/config/types.js';

const block = (path: string): ResolvedBlock => ({ path }) as ResolvedBlock;

test('the longest matching prefix wins, whatever the config order', () => {
  const route = createRouter([block('/'), block('/vod/'), block('/vod/premium/')]);
  assert.equal(route('/vod/premium/a.mp4')?.block.path, '/vod/premium/');
  assert.equal(route('/vod/premium/a.mp4')?.rest, 'a.mp4');
  assert.equal(route('/vod/a.mp4')?.block.path, '/vod/');
  assert.equal(route('/other')?.block.path, '/');
});

test('no match without the trailing slash, and an encoded prefix is not the prefix', () => {
  const route = createRouter([block('/vod/')]);
  assert.equal(route('/vod'), undefined);
  assert.equal(route('/%76od/a'), undefined);
  assert.equal(route('/VOD/a'), undefined);
});
