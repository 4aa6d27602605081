// Regression: an upload whose chunked body the parser could not read (a chunk size `+5`, `zz`, or
// 17 hex digits) had its connection closed with no answer at all. Before any answer began, it is
// now answered 400 OS_ERR_BAD_REQUEST with Connection: close, and the upload is aborted: nothing
// reaches the store.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET } from '../support/modes-fixture.js';
import { rawExchange } from '../support/raw-exchange.js';
import { payloadModesLab } from '../support/payload-modes-lab.js';
import { PAYLOAD_MODES } from '../support/writes-helpers.js';

/** Writes `data` on a fresh socket (not half-closed) and resolves with everything read until the proxy closes. */
test('a chunked upload with a malformed chunk size (+5, zz, 17 hex digits) is answered 400, and nothing is stored', { timeout: 60_000 }, async (t) => {
  const { origin, proxy } = await payloadModesLab(t);
  for (const payload of PAYLOAD_MODES) {
    for (const size of ['+5', 'zz', 'fffffffffffffffff']) {
      await t.test(`payload: ${payload}, chunk size ${size}`, async () => {
        const before = origin.requests.length;
        const text = await rawExchange(proxy.port, `PUT /${payload}/bad.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${size}\r\nhello\r\n0\r\n\r\n`);
        assert.match(text, /^HTTP\/1\.1 400 /, JSON.stringify(text.slice(0, 120)));
        assert.match(text, /\r\nconnection: close\r\n/i);
        assert.match(text, /"error":"OS_ERR_BAD_REQUEST"/);
        assert.equal(origin.requests.length, before, 'nothing reached the store');
        assert.equal(await origin.getObject(BUCKET, `${payload}/bad.txt`), undefined);
      });
    }
  }
});
