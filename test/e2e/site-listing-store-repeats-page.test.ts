// Regression (found by a broken-store hunt): a site folder listing asked the store for page after
// page as long as it said IsTruncated, going on from the token (ListObjects: the marker) it gave.
// A store that ignores the token and answers the same page with the same token again — as a
// minimal S3-compatible store may — made the listing endless: in 3 s the viewer got 300 KB of the
// same row and the store 3,700 list requests, and it would have gone on until the viewer left. A
// page that would go on from where it was asked to start is now the end: the listing is cut (a
// listing that breaks once rows are out is never passed off as whole), after two requests. So is
// one whose rows do not go on past the last one shown (the same page under a fresh token).
import assert from 'node:assert/strict';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

const KEYS = { accessKeyId: 'AKIDSITELISTLOOP001', secretAccessKey: 'site/loop+secret=KEY/0123456789' };

for (const [version, token] of [['v4', 'same'], ['v2', 'same'], ['v4', 'fresh']] as const) {
  test(`a ${version} store that repeats a listing page (${token} token) does not make the listing endless`, { timeout: 60_000 }, async (t) => {
    let lists = 0;
    const store = createServer((req, res) => {
      req.resume();
      if (new URL(req.url ?? '/', 'http://store').searchParams.has('prefix')) {
        lists++;
        // Whatever the token or marker: the first page again, said to go on from the same place (or a new token).
        const next = token === 'same' ? 'same-token' : `token-${lists}`;
        const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>${next}</NextContinuationToken><Contents><Key>docs/a.txt</Key><Size>1</Size><LastModified>2026-12-07T07:00:00.000Z</LastModified><ETag>"e"</ETag></Contents></ListBucketResult>`;
        res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
        return void res.end(xml);
      }
      const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code></Error>';
      res.writeHead(404, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
      res.end(req.method === 'HEAD' ? undefined : xml);
    });
    await new Promise<void>((r) => store.listen(0, '127.0.0.1', r));
    t.after(() => new Promise<void>((r) => (store.closeAllConnections(), store.close(() => r()))));
    const proxy = await startProxyCli(t, {
      server: { host: '127.0.0.1', port: 0 },
      proxies: [blockFor((store.address() as AddressInfo).port, { path: '/site/', bucket: 'site-bucket', version, mode: 'header', credentials: KEYS, extra: { site: { listing: true } } })],
    });

    // The viewer reads for at most 10 s: the answer must end (here, be cut) well before.
    const outcome = await new Promise<{ ended: boolean; complete: boolean; bytes: number }>((resolve) => {
      let bytes = 0;
      const req = get({ host: '127.0.0.1', port: proxy.port, path: '/site/docs/' }, (res) => {
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('close', () => (clearTimeout(timer), resolve({ ended: true, complete: res.complete, bytes })));
      });
      req.on('error', () => (clearTimeout(timer), resolve({ ended: true, complete: false, bytes })));
      const timer = setTimeout(() => (req.destroy(), resolve({ ended: false, complete: false, bytes })), 10_000);
    });
    assert.ok(outcome.ended, `the listing was still going after 10 s: ${outcome.bytes} bytes, ${lists} list requests`);
    assert.equal(outcome.complete, false, 'a listing the store broke is cut, never passed off as whole');
    assert.ok(lists <= 3, `${lists} list requests`);
  });
}
