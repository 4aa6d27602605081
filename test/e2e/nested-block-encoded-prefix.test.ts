// Regression: a nested block's objects were readable past its access rules. Routing matches raw
// bytes, so `GET /media/%70rivate/x` went to the outer block /media/ (keyPrefix ''), which decoded
// the key `private/x` and read the object /media/private/ guards with a secret header. Now a path
// that, percent-decoded, is under a nested block's prefix is refused (400 OS_ERR_ENCODED_PREFIX),
// and a listing of the outer block leaves what the nested block serves out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { raw } from '../support/origin-client.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { writeBlock } from '../support/writes-helpers.js';

const SECRET = 'cdn-shared-secret-0001';

test('a percent-encoded spelling of a nested prefix reaches neither block, and listings leave it out', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'public.txt', 'for everyone');
  await origin.putObject(BUCKET, 'private/x.txt', 'for the CDN only');
  const outer = writeBlock(origin.port, { path: '/media/', bucket: BUCKET, credentials: KEYS, methods: ['GET', 'HEAD', 'PUT'] });
  outer.listObjects = true;
  const inner = writeBlock(origin.port, { path: '/media/private/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'private/', methods: ['GET', 'HEAD', 'PUT'] });
  inner.access = { requireHeader: { name: 'x-cdn-secret', values: [SECRET] } };
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [outer, inner] });

  assert.equal((await raw(proxy.port, { path: '/media/private/x.txt' })).status, 403, 'the nested block wants its secret');
  assert.equal((await raw(proxy.port, { path: '/media/private/x.txt', headers: { 'x-cdn-secret': SECRET } })).text, 'for the CDN only');

  for (const spelling of ['/media/%70rivate/x.txt', '/media/private%2Fx.txt', '/media/%70%72%69%76%61%74%65/x.txt']) {
    for (const method of ['GET', 'HEAD', 'PUT']) {
      const before = origin.requests.length;
      const res = await raw(proxy.port, { method, path: spelling, ...(method === 'PUT' ? { headers: { 'content-length': 3 }, body: 'new' } : {}) });
      assert.equal(res.status, 400, `${method} ${spelling}: ${res.text}`);
      if (method === 'GET') assert.equal((JSON.parse(res.text) as { error: string }).error, 'OS_ERR_ENCODED_PREFIX');
      assert.equal(origin.requests.length, before, `${method} ${spelling} reached nothing`);
    }
  }
  assert.equal((await origin.getObject(BUCKET, 'private/x.txt'))?.toString(), 'for the CDN only');
  assert.equal((await raw(proxy.port, { path: '/media/public%2Etxt' })).text, 'for everyone', 'an encoded key of the outer block is served as before');

  const list = await raw(proxy.port, { path: '/media?list-type=2' });
  assert.equal(list.status, 200, list.text);
  assert.match(list.text, /<Key>public\.txt<\/Key>/);
  assert.doesNotMatch(list.text, /private/);
});
