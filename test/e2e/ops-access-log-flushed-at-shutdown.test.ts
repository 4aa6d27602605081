// Regression: access lines are written in 4 KiB batches, at least every 100 ms. A SIGTERM within
// those 100 ms lost the lines of the last requests — the batch is written synchronously, and
// pino flushes only asynchronous destinations at exit (README "Operations → Logs"). Now the
// proxy writes the batch out once the last request has ended, before it exits; with one process
// and with workers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

for (const workers of [1, 2]) {
  test(`the access lines of the last requests before SIGTERM are written (workers: ${workers})`, async (t) => {
    const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
    t.after(() => origin.close());
    await origin.putObject(BUCKET, 'hello.txt', Buffer.from('hello'));
    const proxy = await startProxyCli(t, {
      server: { host: '127.0.0.1', port: 0, workers },
      proxies: [blockFor(origin.port, { path: '/b/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS })],
    });
    const ids = ['last-1', 'last-2', 'last-3'];
    for (const id of ids) {
      const res = await fetch(`${proxy.url}/b/hello.txt`, { headers: { 'x-request-id': id } });
      assert.equal(await res.text(), 'hello');
    }
    // At once: well within the 100 ms after which a quiet proxy flushes on its own.
    assert.equal(await proxy.stop(), 0);
    // Everything the processes wrote has been read once their standard output has ended.
    const out = proxy.child.stdout!;
    if (!out.readableEnded) await new Promise((resolve) => out.once('end', resolve));
    const logged = proxy.logs().filter((l) => l.msg === 'request').map((l) => l.reqId);
    assert.deepEqual(ids.filter((id) => !logged.includes(id)), [], 'every request has its access line');
  });
}
