// A sliced read of an object rewritten faster than it can be read (a store that answers every
// request with a new version): the suffix range's size probe names one version, the slice asked
// for under If-Match is refused (412); the read starts over, and the same happens again. The
// viewer gets 502 OS_ERR_UPSTREAM_CHANGING before any byte — never bytes of two versions, and not
// "the store could not be reached", which it used to say. The store is a small HTTP server of
// this test's own: each request sees the next version, and If-Match is judged against it.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { cachedBlock, fetchGot } from '../support/cache-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { MiB } from '../support/sizes.js';

const SIZE = 3 * MiB;

test('an object that changes on every read: 502 OS_ERR_UPSTREAM_CHANGING, no byte sent', { timeout: 60_000 }, async (t) => {
  let version = 0;
  const seen: Array<{ range: string | undefined; ifMatch: string | undefined; status: number }> = [];
  const store = createServer((req, res) => {
    const etag = `"v${++version}"`;
    const ifMatch = req.headers['if-match'];
    const range = req.headers.range;
    const status = ifMatch !== undefined && ifMatch !== etag ? 412 : 206;
    seen.push({ range, ifMatch, status });
    if (status === 412) {
      res.writeHead(412, { 'content-type': 'application/xml' });
      return void res.end('<Error><Code>PreconditionFailed</Code></Error>');
    }
    const m = /^bytes=(\d+)-(\d+)$/.exec(range ?? '');
    const [start, end] = m ? [Number(m[1]), Math.min(Number(m[2]), SIZE - 1)] : [0, SIZE - 1];
    res.writeHead(206, { etag, 'content-range': `bytes ${start}-${end}/${SIZE}`, 'content-length': String(end - start + 1), 'cache-control': 'max-age=3600' });
    res.end(Buffer.alloc(end - start + 1, 0x61));
  });
  await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', resolve));
  t.after(() => store.close());
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [cachedBlock((store.address() as AddressInfo).port, '/s/', { ttl: '1h', slice: '1MiB' })],
  });

  const got = await fetchGot(proxy.port, '/s/live/rewritten.ts', { range: 'bytes=-100' });
  assert.equal(got.status, 502, got.body.toString('utf8', 0, 300));
  assert.equal(JSON.parse(got.body.toString('utf8')).error, 'OS_ERR_UPSTREAM_CHANGING');
  const last = `bytes=${2 * MiB}-${SIZE - 1}`;
  assert.deepEqual(seen, [
    { range: 'bytes=0-0', ifMatch: undefined, status: 206 },
    { range: last, ifMatch: '"v1"', status: 412 },
    { range: 'bytes=0-0', ifMatch: undefined, status: 206 },
    { range: last, ifMatch: '"v3"', status: 412 },
  ], 'a size probe and the slice under If-Match, twice');
});
