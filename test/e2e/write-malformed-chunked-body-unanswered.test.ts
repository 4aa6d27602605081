// Regression: an upload whose chunked body the parser could not read (a chunk size `+5`, `zz`, or
// 17 hex digits) had its connection closed with no answer at all. Before any answer began, it is
// now answered 400 OS_ERR_BAD_REQUEST with Connection: close, and the upload is aborted: nothing
// reaches the store.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { PAYLOAD_MODES, writeBlock } from '../support/writes-helpers.js';

/** Writes `data` on a fresh socket (not half-closed) and resolves with everything read until the proxy closes. */
function exchange(port: number, data: string): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(data));
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
}

test('a chunked upload with a malformed chunk size (+5, zz, 17 hex digits) is answered 400, and nothing is stored', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: PAYLOAD_MODES.map((payload) => writeBlock(origin.port, { path: `/${payload}/`, bucket: BUCKET, credentials: KEYS, payload, keyPrefix: `${payload}/` })),
  });
  for (const payload of PAYLOAD_MODES) {
    for (const size of ['+5', 'zz', 'fffffffffffffffff']) {
      await t.test(`payload: ${payload}, chunk size ${size}`, async () => {
        const before = origin.requests.length;
        const text = await exchange(proxy.port, `PUT /${payload}/bad.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${size}\r\nhello\r\n0\r\n\r\n`);
        assert.match(text, /^HTTP\/1\.1 400 /, JSON.stringify(text.slice(0, 120)));
        assert.match(text, /\r\nconnection: close\r\n/i);
        assert.match(text, /"error":"OS_ERR_BAD_REQUEST"/);
        assert.equal(origin.requests.length, before, 'nothing reached the store');
        assert.equal(await origin.getObject(BUCKET, `${payload}/bad.txt`), undefined);
      });
    }
  }
});
