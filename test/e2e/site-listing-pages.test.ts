// Issue #20, README "Static sites and browsers", Listings beyond one page: a folder of more than
// 1,000 keys is listed whole, page by page — ListObjectsV2 with continuation tokens on SigV4 blocks,
// ListObjects (V1) with markers on SigV2 blocks — each page written as it arrives (the viewer has
// the first rows while the next page is still at the store) and the next one asked for only once
// the viewer has taken the last: a viewer that stops reading stops the listing, so a folder of any
// size streams in constant memory.
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { BUCKET, origin as startOrigin } from '../support/origin-client.js';
import { startShieldProxy } from '../support/shield-e2e.js';
import { listCalls, rowsOf, siteConfig } from '../support/site-e2e.js';
import { waitFor } from '../support/wait-for.js';

const name = (i: number): string => `f-${String(i).padStart(5, '0')}.txt`;

async function putMany(origin: { putObject(b: string, k: string, body: string): Promise<void> }, folder: string, n: number, pad = ''): Promise<void> {
  for (let i = 0; i < n; i += 100) await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, j) => origin.putObject(BUCKET, `${folder}${pad}${name(i + j)}`, 'x')));
}

test('2,500 keys are listed whole across three pages: continuation tokens (SigV4), markers (SigV2)', { timeout: 120_000 }, async (t) => {
  const origin = await startOrigin(t);
  await putMany(origin, 'many/', 2500);
  for (const sub of ['a-sub/', 'm-sub/', 'z-sub/']) await origin.putObject(BUCKET, `many/${sub}x.txt`, 'x');
  const p = await startShieldProxy(
    t,
    siteConfig(origin.port, [
      { path: '/v4/', bucket: BUCKET, extra: { site: { listing: true } } },
      { path: '/v2/', bucket: BUCKET, version: 'v2', extra: { site: { listing: true } } },
    ]),
  );
  const expected = [...Array.from({ length: 2500 }, (_, i) => name(i)), 'a-sub/', 'm-sub/', 'z-sub/'].sort();

  for (const v of ['v4', 'v2'] as const) {
    await t.test(v, async () => {
      for (const accept of ['application/json', 'text/html']) {
        const before = origin.requests.length;
        const res = await p.get(`/${v}/many/`, { accept });
        assert.equal(res.status, 200);
        const names = accept === 'application/json' ? (JSON.parse(res.text) as { entries: Array<{ name: string }> }).entries.map((e) => e.name) : rowsOf(res.text).map((r) => r.name);
        assert.equal(names.length, 2503, `${accept}: every entry`);
        assert.deepEqual(names, expected, `${accept}: each once, in key order`);
        const calls = listCalls(origin, before);
        assert.equal(calls.length, 3, `${accept}: three list requests at the origin`);
        for (const c of calls) {
          assert.equal(c.auth, `${v}-header`, 'each page signed');
          assert.equal(c.params.get('prefix'), 'many/');
        }
        if (v === 'v4') {
          assert.deepEqual(calls.map((c) => c.params.get('list-type')), ['2', '2', '2'], 'ListObjectsV2');
          assert.equal(calls[0]!.params.get('continuation-token'), null);
          assert.ok(calls[1]!.params.get('continuation-token') && calls[2]!.params.get('continuation-token'), 'pages 2 and 3 continue the listing');
          assert.notEqual(calls[1]!.params.get('continuation-token'), calls[2]!.params.get('continuation-token'));
        } else {
          assert.deepEqual(calls.map((c) => c.params.get('list-type')), [null, null, null], 'ListObjects (V1): SigV2 stores may not have V2');
          // The pages hold 1,000 entries each in key order (a-sub/ first): each marker is the last of the page before.
          assert.deepEqual(calls.map((c) => c.params.get('marker')), [null, `many/${name(998)}`, `many/${name(1998)}`]);
        }
      }
    });
  }
});

/** A relay that holds every list request after the first until release(); the rest go through. */
async function holdingRelay(t: TestContext, originPort: number): Promise<{ port: number; held: () => number; release: () => void }> {
  const waiting: Array<() => void> = [];
  let first = true;
  let open = false;
  const server = createServer((req, res) => {
    const pass = (): void => {
      const up = request({ host: '127.0.0.1', port: originPort, method: req.method, path: req.url, headers: req.headers, agent: false }, (ures) => {
        res.writeHead(ures.statusCode ?? 502, ures.headers);
        ures.pipe(res);
      });
      req.pipe(up);
    };
    const isList = /[?&]prefix=/.test(req.url ?? '');
    if (!isList || first || open) {
      first &&= !isList;
      return pass();
    }
    waiting.push(pass);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, held: () => waiting.length, release: () => ((open = true), waiting.splice(0).forEach((f) => f())) };
}

/** GET `path`, reading by hand: the body so far, whether it ended, and pause/resume. */
function reader(port: number, path: string): { text: () => string; ended: () => boolean; res: Promise<IncomingMessage>; done: Promise<void> } {
  let text = '';
  let ended = false;
  let settle!: () => void;
  const done = new Promise<void>((r) => (settle = r));
  const res = new Promise<IncomingMessage>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (r) => {
      r.setEncoding('utf8');
      r.on('data', (c: string) => (text += c));
      r.on('end', () => ((ended = true), settle()));
      resolve(r);
    });
    req.on('error', reject);
    req.end();
  });
  return { text: () => text, ended: () => ended, res, done };
}

test('each page is written as it arrives: the viewer has the first 1,000 rows while the next page is at the store', { timeout: 120_000 }, async (t) => {
  const origin = await startOrigin(t);
  await putMany(origin, 'many/', 2500);
  const relay = await holdingRelay(t, origin.port);
  const p = await startShieldProxy(t, siteConfig(origin.port, [{ path: '/s/', bucket: BUCKET, port: relay.port, extra: { site: { listing: true } } }]));

  const r = reader(p.port, '/s/many/');
  await r.res;
  await waitFor(() => rowsOf(r.text()).length === 1000, 'the first page at the viewer');
  await waitFor(() => relay.held() === 1, 'the second page asked for');
  assert.equal(r.ended(), false, 'the listing is not over');
  relay.release();
  await r.done;
  assert.equal(rowsOf(r.text()).length, 2500);
});

// 12,000 keys of ~600 bytes: ~1 MiB of HTML a page, 12 pages — far more than the sockets between
// the proxy and a viewer hold, so a proxy that read ahead would have listed every page.
test('a viewer that stops reading stops the listing: pages are asked for only as the viewer takes them', { timeout: 300_000 }, async (t) => {
  const origin = await startOrigin(t);
  const pad = `${'p'.repeat(580)}-`;
  await putMany(origin, 'huge/', 12_000, pad);
  const p = await startShieldProxy(t, siteConfig(origin.port, [{ path: '/s/', bucket: BUCKET, extra: { site: { listing: true } } }]));

  const before = origin.requests.length;
  const r = reader(p.port, '/s/huge/');
  const res = await r.res;
  res.pause();
  // Let the proxy go as far as it will: the list requests stop coming.
  let seen = -1;
  await waitFor(async () => {
    const n = listCalls(origin, before).length;
    const still = n === seen;
    seen = n;
    await new Promise((resolve) => setTimeout(resolve, 500));
    return still && n > 0;
  }, 'the listing stalls behind the viewer', 60_000);
  const stalled = listCalls(origin, before).length;
  t.diagnostic(`a paused viewer: ${stalled} of 12 pages asked for`);
  assert.ok(stalled < 12, `the proxy stopped asking for pages (${stalled} of 12)`);
  assert.equal(r.ended(), false);
  res.resume();
  await r.done;
  assert.equal(listCalls(origin, before).length, 12, 'every page once the viewer reads');
  assert.equal(rowsOf(r.text()).length, 12_000);
});
