// Regression (issue #20 review): the listing of a block's root linked `../`, which leaves the block
// (another block, or no route at all). A folder inside the block still links up to its parent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET, origin as startOrigin } from '../support/origin-client.js';
import { startShieldProxy } from '../support/shield-e2e.js';
import { siteConfig } from '../support/site-e2e.js';

test("the block root's listing has no link up out of the block; a folder's has", async (t) => {
  const origin = await startOrigin(t);
  await origin.putObject(BUCKET, 'site/a.txt', 'a');
  await origin.putObject(BUCKET, 'site/sub/b.txt', 'b');
  const p = await startShieldProxy(t, siteConfig(origin.port, [{ path: '/s/', bucket: BUCKET, keyPrefix: 'site/', extra: { site: { listing: true } } }]));
  const root = await p.get('/s/');
  assert.equal(root.status, 200, root.text);
  assert.match(root.text, /href="\.\/sub\/"/);
  assert.ok(!root.text.includes('href="../"'), 'no link above the block root');
  const sub = await p.get('/s/sub/');
  assert.equal(sub.status, 200, sub.text);
  assert.ok(sub.text.includes('href="../"'), 'a folder links to its parent');
});
