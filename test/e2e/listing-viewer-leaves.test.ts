// A viewer that leaves while the store is still answering a listing cancels it, as it cancels an
// object read (README "What reaches the bucket", step 7): the proxy drops its upstream request, and
// with it the connection, instead of waiting for a page nobody will read. Both listings: an S3
// client's (listObjects) and a site's folder listing. A relay holds the store's answers back.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { gateRelay } from '../support/gate-relay.js';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { waitFor } from '../support/wait-for.js';
import { writeBlock } from '../support/writes-helpers.js';

test("a viewer leaving mid-listing cancels the store's listing request", { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  for (const k of ['live/a.txt', 'site/docs/b.txt']) await origin.putObject(BUCKET, k, 'x');
  const gate = await gateRelay(t, origin.port);
  const listed = writeBlock(gate.port, { path: '/live/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'live/', methods: ['GET', 'HEAD'] });
  listed.listObjects = true;
  const site = writeBlock(gate.port, { path: '/site/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'site/', methods: ['GET', 'HEAD'] });
  site.site = { listing: true };
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [listed, site] });

  for (const path of ['/live?list-type=2', '/site/docs/']) {
    await t.test(path, async () => {
      assert.equal(gate.open(), 0);
      gate.hold(0);
      const lists = (): number => origin.requests.filter((o) => /[?&]prefix=/.test(o.url)).length;
      const before = lists();
      const viewer = connect(proxy.port, '127.0.0.1');
      viewer.on('error', () => undefined);
      viewer.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      await waitFor(() => lists() > before, 'the listing reached the store');
      assert.equal(gate.open(), 1, "the store's answer is held on one connection");
      // A viewer that is gone (RST): one that only half-closes (FIN) still gets its answer (app.ts, httpAllowHalfOpen).
      viewer.resetAndDestroy();
      await waitFor(() => gate.open() === 0, 'the proxy dropped the upstream request', 5_000);
      gate.release();
    });
  }
});
