// Regression (hunt, 2026-12-07): a custom policy for `…/r/free/*` read `/r/paid/secret.mp4` when
// the viewer put a path in the Host header (`Host: cdn.example.com/r/free/x`, or past a port so
// `hosts:` routing still matched) or, behind a trusted proxy, in X-Forwarded-Proto: the URL the
// policy's Resource is judged against was built from them unchecked. A Host that is not
// `host[:port]`, or repeated, is now answered 400 before routing (RFC 9112 §3.2), and only `http`
// or `https` is taken from X-Forwarded-Proto. Signed URLs and cookies alike; nothing reaches the
// store; the honest requests still pass, https through a trusted proxy included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signCloudFront, signedUrl } from '../../src/access/sign.js';
import { RSA2048, accessBlock, accessOrigin, accessProxy, nowSec, privateKeyOf, rsa2048Keys } from '../support/access-fixtures.js';
import { raw, rawSocket } from '../support/origin-client.js';

const HOST = 'cdn.example.com';
const OBJECTS = { 'free/a.mp4': 'free\n', 'paid/secret.mp4': 'PAID SECRET\n' };

function signedFor(resource: string): { query: string; cookie: string } {
  const policy = `{"Statement":[{"Resource":"${resource}","Condition":{"DateLessThan":{"AWS:EpochTime":${nowSec() + 3600}}}}]}`;
  const s = signCloudFront({ url: resource, keyPairId: RSA2048.id, privateKey: privateKeyOf(RSA2048.priv), policy });
  return { query: signedUrl('', s), cookie: s.params.map(([k, v]) => `CloudFront-${k}=${v}`).join('; ') };
}

test('a path smuggled in Host cannot widen a signed URL or cookie', async (t) => {
  const origin = await accessOrigin(t, OBJECTS);
  const proxy = await accessProxy(t, [
    accessBlock(origin, '/r/', { signedUrls: { keys: rsa2048Keys(t), cookies: true } }),
    accessBlock(origin, '/h/', { signedUrls: { keys: rsa2048Keys(t), cookies: true } }, { hosts: [HOST] }),
  ]);
  const plain = signedFor(`http://${HOST}/r/free/*`);
  const anyScheme = signedFor(`http*://${HOST}/h/free/*`);
  assert.equal((await raw(proxy.port, { path: `/r/free/a.mp4${plain.query}`, headers: { host: HOST } })).status, 200, 'the honest read');
  assert.equal((await raw(proxy.port, { path: `/h/free/a.mp4`, headers: { host: HOST, cookie: anyScheme.cookie } })).status, 200, 'the honest cookie read');
  assert.equal((await raw(proxy.port, { path: `/r/paid/secret.mp4${plain.query}`, headers: { host: HOST } })).status, 403);

  const before = origin.requests.length;
  const attacks: Array<[string, string, Record<string, string>]> = [
    ['/r/paid/secret.mp4' + plain.query, 'path in Host', { host: `${HOST}/r/free/x` }],
    ['/h/paid/secret.mp4' + anyScheme.query, 'path after a port, hosts: routing', { host: `${HOST}:1://${HOST}/h/free/x` }],
    ['/h/paid/secret.mp4', 'the same with signed cookies', { host: `${HOST}:1://${HOST}/h/free/x`, cookie: anyScheme.cookie }],
    ['/r/paid/secret.mp4' + plain.query, 'query in Host', { host: `${HOST}?/r/free/` }],
    ['/r/paid/secret.mp4' + plain.query, 'user info in Host', { host: `x@${HOST}` }],
  ];
  for (const [path, what, headers] of attacks) {
    const res = await raw(proxy.port, { path, headers });
    assert.equal(res.status, 400, `${what}: ${res.status} ${res.text}`);
    assert.match(res.text, /Host header/, what);
  }
  const twice = await rawSocket(proxy.port, `GET /r/free/a.mp4${plain.query} HTTP/1.1\r\nHost: ${HOST}\r\nHost: evil.example\r\nConnection: close\r\n\r\n`);
  assert.equal(twice.status, 400, 'two Host lines');
  assert.equal(origin.requests.length, before, 'nothing reached the store');
  // Ports and IP literals are hosts.
  assert.equal((await raw(proxy.port, { path: `/r/free/a.mp4${signedFor('http://[::1]:8080/r/free/*').query}`, headers: { host: '[::1]:8080' } })).status, 200);
});

test('behind a trusted proxy, X-Forwarded-Proto is a scheme or nothing', async (t) => {
  const origin = await accessOrigin(t, OBJECTS);
  const proxy = await accessProxy(t, [accessBlock(origin, '/r/', { signedUrls: { keys: rsa2048Keys(t) } })], { server: { trustProxy: 1 } });
  const https = signedFor(`https://${HOST}/r/free/*`);
  assert.equal((await raw(proxy.port, { path: `/r/free/a.mp4${https.query}`, headers: { host: HOST, 'x-forwarded-proto': 'HTTPS' } })).status, 200, 'https from the proxy');
  const before = origin.requests.length;
  const smuggled = await raw(proxy.port, { path: `/r/paid/secret.mp4${https.query}`, headers: { host: HOST, 'x-forwarded-proto': `https://${HOST}/r/free/#` } });
  assert.equal(smuggled.status, 403, smuggled.text);
  assert.equal(origin.requests.length, before);
});
