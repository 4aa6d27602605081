// Regression: a PUT with neither Content-Length nor Transfer-Encoding has an empty body (RFC 9112
// §6.3), and the proxy forwarded it as one: the key was overwritten with an empty object and the
// viewer got a 200. S3 itself answers such a PUT 411 MissingContentLength; so does the proxy now
// (OS_ERR_LENGTH_REQUIRED), before anything reaches the store, in every payload mode.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET } from '../support/modes-fixture.js';
import { rawSocket } from '../support/origin-client.js';
import { payloadModesLab } from '../support/payload-modes-lab.js';
import { PAYLOAD_MODES } from '../support/writes-helpers.js';

test('a PUT with neither Content-Length nor Transfer-Encoding is answered 411 and leaves the object as it was', { timeout: 60_000 }, async (t) => {
  const { origin, proxy } = await payloadModesLab(t);
  for (const payload of PAYLOAD_MODES) {
    await t.test(`payload: ${payload}`, async () => {
      await origin.putObject(BUCKET, `${payload}/seg.ts`, 'precious bytes');
      const before = origin.requests.length;
      const res = await rawSocket(proxy.port, `PUT /${payload}/seg.ts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.equal(res.status, 411, res.text);
      assert.match(res.text, /OS_ERR_LENGTH_REQUIRED/);
      assert.equal(origin.requests.length, before, 'nothing reached the store');
      assert.equal((await origin.getObject(BUCKET, `${payload}/seg.ts`))?.toString(), 'precious bytes');
    });
  }
});
