// README "Payload modes": "A viewer that disconnects mid-upload leaves no object: the upstream
// request is aborted before its end (in streaming mode the final chunk is never sent)." A viewer
// declares Content-Length: 4 MiB, sends 1 MiB and destroys its socket — in each payload mode — and
// a chunked (no Content-Length) upload is cut the same way: no object appears at the strict
// origin, and the same proxy process then serves the next upload and read. A TCP relay between the
// proxy and the origin watches the proxy→origin bytes: in payload: streaming the final zero-size
// aws-chunked frame (`\r\n0;chunk-signature=`) never goes out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli, type ProxyProcess } from '../support/proxy-cli.js';
import { raw } from '../support/origin-client.js';
import { KiB, MiB } from '../support/sizes.js';
import { PAYLOAD_MODES, watchingRelay, writeBlock } from '../support/writes-helpers.js';
import { connect, type Socket } from 'node:net';
import { generatedBytes } from '../support/generated-body.js';
import { waitFor } from '../support/wait-for.js';

const DECLARED = 4 * MiB;
const SENT = 1 * MiB;
const FINAL_CHUNK = Buffer.from('\r\n0;chunk-signature=');

/** Opens a socket, writes `head` and `bytes` of body (raw or chunk-framed); resolves once all of it is flushed to the kernel. */
function startUpload(port: number, head: string, bytes: number, chunked: boolean): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1', () => {
      sock.write(head);
      const piece = generatedBytes(64 * KiB, 'disconnect');
      let sent = 0;
      let ok = true;
      while (sent < bytes) {
        const n = Math.min(piece.length, bytes - sent);
        sent += n;
        ok = sock.write(chunked ? Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), piece.subarray(0, n), Buffer.from('\r\n')]) : piece.subarray(0, n));
      }
      if (ok) resolve(sock);
      else sock.once('drain', () => resolve(sock));
    });
    sock.on('error', reject);
    // A response at this point would be a bug (nothing is complete yet); keep it for the message.
    sock.on('data', (c: Buffer) => reject(new Error(`unexpected answer before the disconnect: ${c.toString('utf8').slice(0, 300)}`)));
  });
}

/** The proxy's access-log line for `path`, once it has been written (the request is over). */
function logLineFor(proxy: ProxyProcess, path: string): Record<string, unknown> | undefined {
  return proxy.logs().find((l) => l.msg === 'request' && l.path === path);
}

test('a viewer that disconnects mid-upload leaves no object, and the proxy carries on', { timeout: 180_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const relay = await watchingRelay(t, origin.port, FINAL_CHUNK);
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: PAYLOAD_MODES.map((payload) => writeBlock(relay.port, { path: `/${payload}/`, bucket: BUCKET, credentials: KEYS, payload, methods: ['GET', 'HEAD', 'PUT'] })),
  });

  await t.test('the log line of a cut upload does not claim it was answered 200', {}, async () => {
    const path = '/unsigned/cut/logged.bin';
    const sock = await startUpload(proxy.port, `PUT ${path} HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: ${DECLARED}\r\n\r\n`, 64 * KiB, false);
    sock.destroy();
    const line = await waitFor(() => logLineFor(proxy, path), `the proxy's log line for ${path}`);
    assert.equal(line.aborted, true);
    assert.notEqual(line.status, 200, JSON.stringify(line));
  });

  for (const payload of PAYLOAD_MODES) {
    for (const framing of ['content-length', 'chunked'] as const) {
      await t.test(`payload: ${payload}, ${framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${DECLARED}`}, cut after ${SENT} bytes`, async () => {
        const key = `cut/${payload}-${framing}.bin`;
        const path = `/${payload}/${key}`;
        const before = origin.requests.length;
        const upBefore = relay.upBytes();
        const finalFramesBefore = relay.patternCount();
        const head =
          `PUT ${path} HTTP/1.1\r\nHost: proxy.test\r\nContent-Type: application/octet-stream\r\n` +
          (framing === 'chunked' ? 'Transfer-Encoding: chunked\r\n' : `Content-Length: ${DECLARED}\r\n`) +
          '\r\n';
        const sock = await startUpload(proxy.port, head, SENT, framing === 'chunked');
        // Streamed modes: let the upload reach the origin first, so the cut happens mid-transfer.
        const streamed = framing === 'content-length' && payload !== 'sha256';
        if (streamed) {
          await waitFor(() => relay.upBytes() - upBefore >= 900 * KiB && origin.requests.length > before, 'the upload to be in flight at the origin');
        }
        sock.destroy();

        // The proxy finishes with the request (its log line is written when the response closes) …
        const line = await waitFor(() => logLineFor(proxy, path), `the proxy's log line for ${path}`);
        assert.equal(line.aborted, true, JSON.stringify(line));
        assert.equal(line.upstreamStatus, undefined, `no upstream answer was passed on: ${JSON.stringify(line)}`);
        const seen = origin.requests.slice(before);
        if (streamed) {
          // … and the origin saw a request that did not complete.
          assert.equal(seen.length, 1, JSON.stringify(seen.map((r) => [r.method, r.url, r.status])));
          const rec = await waitFor(() => (seen[0]!.status !== 0 ? seen[0] : undefined), 'the origin to finish with the cut request').catch(() => seen[0]!);
          t.diagnostic(`${payload}/${framing}: origin recorded status ${rec.status} ${rec.errorCode ?? ''} after ${rec.bytesIn} wire bytes`);
          assert.notEqual(rec.status, 200, `the origin answered ${rec.status} ${rec.errorCode ?? ''}`);
          assert.ok(rec.bytesIn < DECLARED, `origin received ${rec.bytesIn} of the ${DECLARED} bytes declared`);
        } else {
          // Spooled (chunked, or payload: sha256): nothing was sent upstream at all.
          assert.equal(seen.length, 0, `nothing reaches the origin: ${JSON.stringify(seen.map((r) => [r.method, r.url, r.status]))}`);
        }
        assert.equal(await origin.getObject(BUCKET, key), undefined, 'no object was created');
        if (payload === 'streaming') assert.equal(relay.patternCount(), finalFramesBefore, 'the final zero-size aws-chunked frame was never sent');

        // The same proxy serves the next upload and read.
        const next = generatedBytes(300 * KiB, `next ${payload} ${framing}`);
        const put = await raw(proxy.port, { method: 'PUT', path: `/${payload}/after/${framing}.bin`, headers: { 'content-length': next.length }, body: next });
        assert.equal(put.status, 200, put.text.slice(0, 400));
        const get = await raw(proxy.port, { path: `/${payload}/after/${framing}.bin` });
        assert.equal(get.status, 200);
        assert.ok(get.body.equals(next));
        if (payload === 'streaming') {
          // Control for the relay's watch: this complete streaming upload did send its final frame.
          assert.equal(relay.patternCount(), finalFramesBefore + 1, 'a complete streaming upload ends with the final frame');
        }
      });
    }
  }
});
