// Regression: `Content-Length: 05` was signed as the viewer sent it while undici sent `5`, so the
// store answered SignatureDoesNotMatch; `00` missed the empty-body path. The declared length is
// now written without leading zeros before it is signed (upload-length.ts declaredLength).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET } from '../support/modes-fixture.js';
import { rawSocket } from '../support/origin-client.js';
import { payloadModesLab } from '../support/payload-modes-lab.js';
import { PAYLOAD_MODES } from '../support/writes-helpers.js';

test('a Content-Length with leading zeros is signed as it is sent', { timeout: 60_000 }, async (t) => {
  const { origin, proxy } = await payloadModesLab(t);
  for (const payload of PAYLOAD_MODES) {
    await t.test(`payload: ${payload}`, async () => {
      for (const [declared, body] of [['05', 'hello'], ['00', ''], ['0000000000000000000000005', 'hello']] as const) {
        const key = `${payload}/cl-${declared.length}-${body.length}.txt`;
        const res = await rawSocket(proxy.port, `PUT /${payload}/cl-${declared.length}-${body.length}.txt HTTP/1.1\r\nHost: x\r\nContent-Length: ${declared}\r\nConnection: close\r\n\r\n`, body);
        assert.equal(res.status, 200, `Content-Length: ${declared}: ${res.text}`);
        assert.equal((await origin.getObject(BUCKET, key))?.toString(), body, `Content-Length: ${declared}`);
      }
    });
  }
});
