// README "Shield cache → Admin API": a purge whose key or prefix holds a lone UTF-16 surrogate
// ("\ud800" in JSON: no UTF-8 form, so no object can have that key) is a 400 with a reason. It was
// a 500 "URI malformed" with one process, and with server.workers the worker's rejected purge went
// unhandled: every worker got the question and every worker died at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { readyz } from '../support/ops-prom.js';
import { raw } from '../support/origin-client.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

const BUCKET = 'purge-surrogate';
const KEYS = { accessKeyId: 'AKIDPURGESURROGATE1', secretAccessKey: 'purge/surrogate+secret=0123456789' };

for (const workers of [1, 2]) {
  test(`a lone surrogate in a purge's key or prefix is a 400, and every worker lives on (workers: ${workers})`, { timeout: 60_000 }, async (t) => {
    const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
    t.after(() => origin.close());
    await origin.putObject(BUCKET, 'a.txt', 'a');
    const proxy = await startProxyCli(t, {
      server: { host: '127.0.0.1', port: 0, workers },
      cache: { memory: { maxSize: '16MiB' } },
      proxies: [blockFor(origin.port, { path: '/live/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS, extra: { cache: { ttl: '1h' } } })],
    });
    // Written by hand: JSON.stringify would escape the surrogate the same way, but this is the wire form.
    for (const body of ['{"block": "/live/", "key": "\\ud800"}', '{"block": "/live/", "prefix": "a/\\udc00"}']) {
      const r = await fetch(`${proxy.adminUrl}/cache/purge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const json = (await r.json()) as { error?: unknown };
      assert.equal(r.status, 400, `${body}: ${JSON.stringify(json)}`);
      assert.match(String(json.error), /surrogate/);
    }
    const ok = await fetch(`${proxy.adminUrl}/cache/purge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"block": "/live/", "key": "a.txt"}' });
    assert.equal(ok.status, 200, 'every worker still answers a purge');
    assert.equal((await raw(proxy.port, { path: '/live/a.txt' })).status, 200);
    const ready = await readyz(proxy.adminUrl);
    assert.equal(ready.status, 200, JSON.stringify(ready));
    assert.equal(proxy.logs().filter((l) => l.msg === 'worker exited; starting a new one').length, 0, 'no worker died');
  });
}
