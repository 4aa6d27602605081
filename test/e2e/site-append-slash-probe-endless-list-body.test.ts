// Regression (found by a broken-store hunt): site.appendSlash asks the store whether a missing
// path is a folder with a one-key listing, and read that answer whole and unbounded
// (`body.text()`), with no end when the viewer left. A store that answered the probe with an
// endless body held the viewer forever and grew the proxy's memory without limit (600 MiB of
// spaces: 1.3 GB resident). The probe is now read as every listing page is: at most 16 MiB, then
// given up — the path is no folder, and the viewer gets its 404.
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { raw } from '../support/origin-client.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

const KEYS = { accessKeyId: 'AKIDSITEPROBE000001', secretAccessKey: 'site/probe+secret=KEY/0123456789' };

test('a folder probe answered with an endless body is given up, not read without end', { timeout: 60_000 }, async (t) => {
  let listSent = 0;
  const store = createServer((req, res: ServerResponse) => {
    req.resume();
    if (new URL(req.url ?? '/', 'http://store').searchParams.has('prefix')) {
      // A "listing" that never ends: 64 KiB of spaces every 2 ms, for as long as anyone reads.
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.write('<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult>');
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        listSent += chunk.length;
        res.write(chunk);
      }, 2);
      res.on('close', () => clearInterval(timer));
      return;
    }
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>';
    res.writeHead(404, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
    res.end(req.method === 'HEAD' ? undefined : xml);
  });
  await new Promise<void>((r) => store.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => (store.closeAllConnections(), store.close(() => r()))));
  const port = (store.address() as AddressInfo).port;
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [blockFor(port, { path: '/site/', bucket: 'site-bucket', version: 'v4', mode: 'header', credentials: KEYS, extra: { site: { index: 'index.html', appendSlash: true } } })],
  });

  const answered = await Promise.race([raw(proxy.port, { path: '/site/docs' }), new Promise<undefined>((r) => setTimeout(() => r(undefined), 20_000).unref())]);
  assert.ok(answered, `no answer within 20 s: the probe's body was still being read (${listSent >> 20} MiB so far)`);
  assert.equal(answered.status, 404, answered.text.slice(0, 300));
  assert.equal(answered.headers.location, undefined);
  assert.ok(listSent < 64 * 1024 * 1024, `the proxy read ${listSent >> 20} MiB of a one-key listing`);
});
