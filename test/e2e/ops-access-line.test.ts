// README "Operations → Logs": the access line says who asked (the viewer's address as access
// rules see it, user agent, referer without signature parameters, the headers log.requestHeaders
// names), what the store called the request (x-amz-request-id / x-amz-id-2, though
// responseHeaders keeps them from the viewer), and the bytes really sent — the proxy's own error
// bodies included. A refusal says which address was refused; the 403 body says only "access
// denied". log.requestHeaders naming a credential is a config error.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { accessBlock, accessOrigin, accessProxy, tempDir, writeFile } from '../support/access-fixtures.js';
import { accessLineFor } from '../support/access-lines.js';
import { raw } from '../support/origin-client.js';
import { binPath } from '../support/paths.js';

const OBJECTS = { 'file.txt': 'the object\n' };

test('the access line of a proxied GET and of an IP refusal', async (t) => {
  const origin = await accessOrigin(t, OBJECTS);
  const proxy = await accessProxy(t, [accessBlock(origin, '/ok/'), accessBlock(origin, '/ten/', { allowIps: ['10.0.0.0/8'] })], {
    server: { trustProxy: true },
    log: { requestHeaders: ['X-CDN-Pop'] },
  });

  await t.test('a proxied GET', async () => {
    const res = await raw(proxy.port, {
      path: '/ok/file.txt?v=2',
      headers: {
        'x-forwarded-for': '203.0.113.9',
        'user-agent': 'player/1.0',
        referer: 'https://player.example/watch?id=7&Signature=c2lnbmF0dXJl&Key-Pair-Id=K2JCJMDEHXQW5F',
        'x-cdn-pop': 'FRA56-P1',
        'x-other': 'not logged',
      },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['x-amz-request-id'], undefined, 'responseHeaders removes the store ids from the answer');
    const line = await accessLineFor(proxy, res.headers['x-request-id']);
    assert.equal(line.level, 'info');
    assert.equal(line.remoteAddr, '203.0.113.9');
    assert.equal(line.userAgent, 'player/1.0');
    assert.equal(line.referer, 'https://player.example/watch?id=7');
    assert.deepEqual(line.headers, { 'x-cdn-pop': 'FRA56-P1' });
    assert.equal(line.query, 'v=2');
    assert.match(String(line.upstreamRequestId), /\S/);
    assert.match(String(line.upstreamId2), /\S/);
    assert.equal(line.bytesOut, OBJECTS['file.txt'].length);
  });

  await t.test('"ip not allowed": the line names the address, the body only says access denied', async () => {
    const res = await raw(proxy.port, { path: '/ten/file.txt', headers: { 'x-forwarded-for': '192.0.2.44' } });
    assert.equal(res.status, 403);
    const body = JSON.parse(res.text) as Record<string, unknown>;
    assert.equal(body.message, 'access denied');
    assert.equal(body.reason, undefined);
    assert.ok(!res.text.includes('ip'), res.text);
    const line = await accessLineFor(proxy, body.requestId);
    assert.equal(line.denied, 'ip not allowed');
    assert.equal(line.remoteAddr, '192.0.2.44');
    assert.equal(line.level, 'info');
    assert.equal(line.bytesOut, res.body.length, "the proxy's own error body is counted");
  });
});

test('log.requestHeaders naming a credential or the secret header is a config error', (t) => {
  const dir = tempDir(t);
  const yaml = `log:
  requestHeaders: [x-cdn-pop, Authorization, cookie, X-Origin-Secret, x-amz-security-token]
access:
  requireHeader: { name: x-origin-secret, values: [secret-value-0001] }
proxies:
  - path: /s/
    upstream: { bucket: access-bucket, region: us-east-1, endpoint: "http://localhost:9" }
    credentials: { accessKeyId: AKIDACCESSCHECK0001, secretAccessKey: check-secret-value }
`;
  const file = writeFile(dir, 'config.yaml', yaml);
  const r = spawnSync(binPath, ['check', file], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /log\.requestHeaders\[1\]: authorization carries credentials and is never logged/);
  assert.match(r.stderr, /log\.requestHeaders\[2\]: cookie carries credentials/);
  assert.match(r.stderr, /log\.requestHeaders\[3\]: x-origin-secret is an access\.requireHeader secret and is never logged/);
  assert.match(r.stderr, /log\.requestHeaders\[4\]: x-amz-security-token carries credentials/);
  assert.doesNotMatch(r.stderr, /requestHeaders\[0\]/);
});
