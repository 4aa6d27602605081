// Regression (hunt, 2026-12-07): on `payload: unsigned` and `streaming` blocks a viewer's
// x-amz-content-sha256 (its hash of the body, as botocore sends over plain HTTP) was dropped, so a
// body that did not hash to it was stored. The proxy now hashes such a body as it streams and
// holds its last piece back until the hash is checked: a mismatch is answered 400
// OS_ERR_CONTENT_SHA256_MISMATCH and the store never gets the whole body (nothing is stored),
// with Content-Length (streamed) or chunked (spooled first); the right hash is stored.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { generatedBytes } from '../support/generated-body.js';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { rawSocket } from '../support/origin-client.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { writeBlock, type PayloadMode } from '../support/writes-helpers.js';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const MODES: PayloadMode[] = ['unsigned', 'streaming'];

test('a streamed upload is checked against the viewer\'s x-amz-content-sha256', { timeout: 90_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: MODES.map((payload) => writeBlock(origin.port, { path: `/${payload}/`, bucket: BUCKET, credentials: KEYS, payload, keyPrefix: `${payload}/` })),
  });
  const body = generatedBytes(1024 * 1024 + 7, 'claimed sha256');
  const put = (mode: PayloadMode, key: string, claimed: string, chunked: boolean) =>
    rawSocket(
      proxy.port,
      `PUT /${mode}/${key} HTTP/1.1\r\nHost: x\r\nx-amz-content-sha256: ${claimed}\r\n${chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`}\r\nConnection: close\r\n\r\n`,
      chunked ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]) : body,
    );

  for (const mode of MODES) {
    for (const chunked of [false, true]) {
      await t.test(`payload: ${mode}, ${chunked ? 'chunked' : 'Content-Length'}`, async () => {
        const wrong = await put(mode, `wrong-${chunked}.bin`, sha256(Buffer.from('not the body')), chunked);
        assert.equal(wrong.status, 400, wrong.text.slice(0, 400));
        assert.match(wrong.text, /<Code>OS_ERR_CONTENT_SHA256_MISMATCH<\/Code>/);
        assert.equal(await origin.getObject(BUCKET, `${mode}/wrong-${chunked}.bin`), undefined, 'nothing stored');
        const right = await put(mode, `right-${chunked}.bin`, sha256(body).toUpperCase(), chunked);
        assert.equal(right.status, 200, right.text.slice(0, 400));
        assert.ok((await origin.getObject(BUCKET, `${mode}/right-${chunked}.bin`))?.equals(body), 'stored whole');
      });
    }
  }
});
