import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRouter, nestedPrefixes, shadowingBlock } from '../../../src/proxy/router.js';
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

test('a listObjects block is the route of its path without the slash, even with a catch-all block', () => {
  const listed = { path: '/live/', listObjects: true } as ResolvedBlock;
  const route = createRouter([block('/'), listed, block('/vod/')]);
  assert.equal(route('/live')?.block, listed, "botocore's GET /live?list-type=2");
  assert.equal(route('/live')?.rest, '');
  assert.equal(route('/vod')?.block.path, '/', 'a block that does not list keeps byte-for-byte routing');
  assert.equal(route('/liv')?.block.path, '/');
});

// Regression: `/media/%70rivate/x` routed to /media/ byte for byte and read /media/private/'s object past its access rules.
test('regression: a percent-encoded spelling of a nested prefix is told apart, and listings leave nested blocks out', () => {
  const outer = block('/media/');
  const inner = block('/media/private/');
  const blocks = [outer, inner, block('/other/')];
  const route = createRouter(blocks);
  const shadow = (path: string): string | undefined => shadowingBlock(route, route(path)!)?.path;
  assert.equal(shadow('/media/%70rivate/x'), '/media/private/');
  assert.equal(shadow('/media/private%2Fx'), '/media/private/');
  assert.equal(shadow('/media/%70ublic/x'), undefined, 'decoded, still the outer block');
  assert.equal(shadow('/media/a%20b.txt'), undefined);
  assert.equal(shadow('/media/%zz'), undefined, 'left to the key check');
  assert.equal(shadow('/media/private/x'), undefined, 'the plain spelling reaches the nested block itself');
  assert.deepEqual(nestedPrefixes(blocks, outer), ['private/']);
  assert.deepEqual(nestedPrefixes(blocks, inner), []);
});
