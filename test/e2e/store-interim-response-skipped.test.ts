// Regression (hunt, 2026-12-07): a store that sends an interim 1xx (103 Early Hints) before its
// 200. undici's handler API passes 1xx to onResponseStart, and the viewer's answer took it for the
// final one: the viewer got nothing, the access line said 103 / OS_ERR_UPSTREAM_UNREACHABLE. RFC
// 9110 §15.2: a client MUST be able to parse and ignore unexpected 1xx responses. An innermost
// interceptor now drops them, for plain and cached blocks alike.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { raw } from '../support/origin-client.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { KEYS } from '../support/modes-fixture.js';

test('an interim 103 before the store\'s 200 is skipped', { timeout: 30_000 }, async (t) => {
  const store = createServer((s) => {
    s.on('error', () => undefined);
    s.on('data', () => s.write('HTTP/1.1 103 Early Hints\r\nLink: </x.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 6\r\nContent-Type: text/plain\r\n\r\nstored'));
  });
  await new Promise<void>((r) => store.listen(0, '127.0.0.1', () => r()));
  t.after(() => store.close());
  const port = (store.address() as { port: number }).port;
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    cache: { memory: { maxSize: '16MiB' } },
    proxies: [
      blockFor(port, { path: '/p/', bucket: 'bkt', version: 'v4', mode: 'header', addressing: 'path', credentials: KEYS }),
      blockFor(port, { path: '/c/', bucket: 'bkt', version: 'v4', mode: 'header', addressing: 'path', credentials: KEYS, extra: { cache: { ttl: '1h' } } }),
    ],
  });
  const got: Array<[string, number, string]> = [];
  for (const path of ['/p/a', '/c/a']) {
    const res = await Promise.race([raw(proxy.port, { path }), new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${path}: no answer in 5 s`)), 5000))]).catch((e: Error) => ({ status: 0, text: e.message }));
    got.push([path, res.status, res.text]);
  }
  assert.deepEqual(got, [['/p/a', 200, 'stored'], ['/c/a', 200, 'stored']]);
});
