// Issue #20, README "Static sites and browsers", Hosts: blocks at the same path for different Host
// names serve different buckets; `*.example.com` matches one label; a block without `hosts` serves
// every other host; among the blocks for a host the longest path wins; a request whose Host matches
// no block is 404 OS_ERR_NO_ROUTE and reaches no store. The Host is read as RFC 9110 says: case
// does not matter, the port is not part of the name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { raw, origin as startOrigin } from '../support/origin-client.js';
import { startShieldProxy } from '../support/shield-e2e.js';
import { siteConfig } from '../support/site-e2e.js';

const BUCKETS = ['host-a', 'host-b', 'host-wild', 'host-any', 'host-deep', 'host-only', 'host-public'];

test('hosts: blocks at one path for different Host names, wildcards, the longest path for the host', async (t) => {
  const origin = await startOrigin(t, { buckets: BUCKETS });
  for (const b of BUCKETS) {
    await origin.putObject(b, 'which.txt', `${b}\n`);
    await origin.putObject(b, 'deep/which.txt', `${b} deep/\n`);
    await origin.putObject(b, 'public/which.txt', `${b} public/\n`);
  }
  const p = await startShieldProxy(
    t,
    siteConfig(origin.port, [
      { path: '/media/', bucket: 'host-any' },
      { path: '/media/', bucket: 'host-a', extra: { hosts: ['a.example.com'] } },
      { path: '/media/', bucket: 'host-b', extra: { hosts: ['b.example.com', 'B2.Example.com'] } },
      { path: '/media/', bucket: 'host-wild', extra: { hosts: ['*.wild.example.com'] } },
      { path: '/media/deep/', bucket: 'host-deep', keyPrefix: 'deep/', extra: { hosts: ['a.example.com'] } },
      { path: '/only/', bucket: 'host-only', extra: { hosts: ['a.example.com'] } },
      // Longer than the host's own block: it serves every host, a.example.com included.
      { path: '/media/public/', bucket: 'host-public', keyPrefix: 'public/' },
    ]),
  );
  const get = (host: string, path: string): ReturnType<typeof raw> => raw(p.port, { path, headers: { host } });

  for (const [host, path, body] of [
    ['a.example.com', '/media/which.txt', 'host-a\n'],
    ['A.EXAMPLE.COM:8080', '/media/which.txt', 'host-a\n'],
    ['b.example.com', '/media/which.txt', 'host-b\n'],
    ['b2.example.com', '/media/which.txt', 'host-b\n'],
    ['x.wild.example.com', '/media/which.txt', 'host-wild\n'],
    ['cdn-1.WILD.example.com:443', '/media/which.txt', 'host-wild\n'],
    // One label only: deeper names and the bare domain go to the block that serves any host.
    ['x.y.wild.example.com', '/media/which.txt', 'host-any\n'],
    ['wild.example.com', '/media/which.txt', 'host-any\n'],
    ['c.example.com', '/media/which.txt', 'host-any\n'],
    ['127.0.0.1', '/media/which.txt', 'host-any\n'],
    ['a.example.com.evil.net', '/media/which.txt', 'host-any\n'],
    // The longest path among the blocks for the host.
    ['a.example.com', '/media/deep/which.txt', 'host-deep deep/\n'],
    ['b.example.com', '/media/deep/which.txt', 'host-b deep/\n'],
    ['c.example.com', '/media/deep/which.txt', 'host-any deep/\n'],
    ['a.example.com', '/only/which.txt', 'host-only\n'],
    ['a.example.com', '/media/public/which.txt', 'host-public public/\n'],
    ['c.example.com', '/media/public/which.txt', 'host-public public/\n'],
  ] as const) {
    const before = origin.requests.length;
    const res = await get(host, path);
    assert.equal(res.status, 200, `${host} ${path}: ${res.text}`);
    assert.equal(res.text, body, `${host} ${path}`);
    const rec = origin.requests[before]!;
    assert.equal(String(rec.headers.host).split('.')[0], body.split(/[ \n]/)[0], `${host} ${path}: signed for that bucket`);
    assert.equal(rec.auth, 'v4-header');
  }

  await t.test('a Host matching no block: 404 OS_ERR_NO_ROUTE, nothing at any store', async () => {
    for (const host of ['b.example.com', 'x.wild.example.com', 'c.example.com', 'a.example.com.evil.net']) {
      const before = origin.requests.length;
      const res = await get(host, '/only/which.txt');
      assert.equal(res.status, 404, host);
      assert.equal((JSON.parse(res.text) as { error: string }).error, 'OS_ERR_NO_ROUTE', host);
      assert.equal(origin.requests.length, before, `${host}: nothing reached a store`);
    }
  });
});
