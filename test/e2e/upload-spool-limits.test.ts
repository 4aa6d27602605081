// README "Payload modes" and "Errors": uploads that must be spooled to disk first (payload: sha256,
// or no Content-Length) are bounded by spool.maxSize — 413 OS_ERR_BODY_TOO_LARGE above it, "before
// anything reaches the store" — and with spool.maxSize: 0 an upload without Content-Length is
// answered 411 OS_ERR_LENGTH_REQUIRED. Within the limit a chunked upload is spooled, sent with its
// length and its SHA-256 signed, and stored byte-exact.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Readable } from 'node:stream';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { raw } from '../support/origin-client.js';
import { KiB, MiB } from '../support/sizes.js';
import { rawUpload, streamUpload, writeBlock, type RawResponse } from '../support/writes-helpers.js';
import { generatedBytes, sha256Hex } from '../support/generated-body.js';

function errorOf(r: RawResponse | { text: string }): string | undefined {
  const json = r.text.slice(r.text.indexOf('{'));
  try {
    return (JSON.parse(json) as { error?: string }).error;
  } catch {
    return undefined;
  }
}

/** A body sent with Transfer-Encoding: chunked by node:http (no Content-Length), in 16 KiB writes. */
function chunkedBody(data: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < data.length; i += 16 * KiB) pieces.push(data.subarray(i, i + 16 * KiB));
  return Readable.from(pieces);
}

test('spool limits: 413 above spool.maxSize, 411 without spooling, nothing upstream', { timeout: 120_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const spoolDir = mkdtempSync(join(tmpdir(), 'os-spool-e2e-'));
  t.after(() => rmSync(spoolDir, { recursive: true, force: true }));
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [
      writeBlock(origin.port, { path: '/s1m/', bucket: BUCKET, credentials: KEYS, payload: 'sha256', spool: { maxSize: '1MiB', dir: spoolDir }, keyPrefix: 's1m/' }),
      writeBlock(origin.port, { path: '/nospool/', bucket: BUCKET, credentials: KEYS, payload: 'unsigned', spool: { maxSize: 0 }, keyPrefix: 'nospool/' }),
    ],
  });

  await t.test('payload: sha256, Content-Length 2 MiB with Expect: 100-continue: 413 before any body is sent', async () => {
    const before = origin.requests.length;
    const res = await rawUpload(
      proxy.port,
      'PUT /s1m/too-big.bin HTTP/1.1\r\nHost: proxy.test\r\nContent-Type: application/octet-stream\r\nContent-Length: 2097152\r\nExpect: 100-continue\r\n\r\n',
      { bodyBytes: 0, timeoutMs: 10_000 },
    );
    t.diagnostic(`status lines seen: ${res.statuses.join(', ')} (connection ended: ${res.ended})`);
    assert.equal(res.status, 413, `answered without the body: ${res.text.slice(0, 400)}`);
    assert.equal(res.bodyBytesWritten, 0);
    assert.equal(errorOf(res), 'OS_ERR_BODY_TOO_LARGE');
    assert.match(res.text, /\r\ncache-control: no-store\r\n/i);
    assert.equal(origin.requests.length, before, 'zero origin requests');
    assert.equal(await origin.getObject(BUCKET, 's1m/too-big.bin'), undefined);
  });

  await t.test(
    'Expect: 100-continue on an upload that will be refused gets the 413 without an interim 100 Continue',
    {},
    async () => {
      const res = await rawUpload(proxy.port, 'PUT /s1m/too-big-2.bin HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 2097152\r\nExpect: 100-continue\r\n\r\n', { bodyBytes: 0 });
      assert.equal(res.status, 413);
      assert.deepEqual(res.statuses, [413], `status lines: ${res.statuses.join(', ')}`);
    },
  );

  await t.test('payload: sha256, Content-Length at the limit (1 MiB) is spooled and stored; one byte more is 413', async () => {
    const atLimit = generatedBytes(MiB, 'at limit');
    const before = origin.requests.length;
    const ok = await raw(proxy.port, { method: 'PUT', path: '/s1m/at-limit.bin', headers: { 'content-length': atLimit.length }, body: atLimit });
    assert.equal(ok.status, 200, ok.text.slice(0, 400));
    assert.equal(origin.requests.length, before + 1);
    assert.equal(origin.requests[before]!.headers['x-amz-content-sha256'], sha256Hex(atLimit));
    assert.ok((await origin.getObject(BUCKET, 's1m/at-limit.bin'))?.equals(atLimit));

    const over = await rawUpload(proxy.port, `PUT /s1m/over.bin HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: ${MiB + 1}\r\nExpect: 100-continue\r\n\r\n`, { bodyBytes: 0 });
    assert.equal(over.status, 413, over.text.slice(0, 400));
    assert.equal(origin.requests.length, before + 1, 'the refused upload did not reach the origin');
  });

  await t.test('payload: sha256, chunked upload of 2 MiB: 413, zero origin requests', async () => {
    const before = origin.requests.length;
    const res = await rawUpload(proxy.port, 'PUT /s1m/chunked-too-big.bin HTTP/1.1\r\nHost: proxy.test\r\nTransfer-Encoding: chunked\r\n\r\n', {
      bodyBytes: 2 * MiB,
      chunked: true,
      finish: true,
    });
    t.diagnostic(`chunked 2 MiB: status lines ${res.statuses.join(', ') || 'none'}, ${res.bodyBytesWritten} body bytes written, connection ended: ${res.ended}`);
    assert.equal(res.status, 413, `the viewer gets the 413 (got ${res.status}, ended ${res.ended}): ${res.text.slice(0, 400)}`);
    assert.equal(errorOf(res), 'OS_ERR_BODY_TOO_LARGE');
    assert.equal(origin.requests.length, before, 'zero origin requests');
    assert.equal(await origin.getObject(BUCKET, 's1m/chunked-too-big.bin'), undefined);
  });

  await t.test(
    'a node:http client still writing its chunked 2 MiB body gets the 413 every time (50 tries)',
    {},
    async () => {
      const outcomes: Record<string, number> = {};
      for (let i = 0; i < 50; i++) {
        const r = await streamUpload(proxy.port, { path: '/s1m/node-http-too-big.bin', headers: {}, body: chunkedBody(generatedBytes(2 * MiB, 'node http')) }).catch(
          (err: NodeJS.ErrnoException) => ({ status: err.code ?? 'error' }),
        );
        outcomes[String(r.status)] = (outcomes[String(r.status)] ?? 0) + 1;
      }
      assert.deepEqual(outcomes, { '413': 50 });
    },
  );

  await t.test('payload: sha256, chunked upload of 100 KiB: spooled, its SHA-256 signed, stored byte-exact', async () => {
    const data = generatedBytes(100 * KiB, 'chunked 100k');
    const before = origin.requests.length;
    const res = await streamUpload(proxy.port, { path: '/s1m/chunked-100k.bin', headers: { 'content-type': 'application/octet-stream' }, body: chunkedBody(data) });
    assert.equal(res.status, 200, res.text.slice(0, 400));
    const seen = origin.requests.slice(before);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.headers['x-amz-content-sha256'], sha256Hex(data), 'the body hash is signed');
    assert.equal(seen[0]!.headers['content-length'], String(data.length), 'sent upstream with its length');
    assert.equal(seen[0]!.headers['transfer-encoding'], undefined);
    assert.equal(seen[0]!.status, 200);
    assert.ok((await origin.getObject(BUCKET, 's1m/chunked-100k.bin'))?.equals(data), 'stored byte-exact');
  });

  await t.test('spool.maxSize: 0: a chunked upload is 411, zero origin requests', async () => {
    const before = origin.requests.length;
    const res = await rawUpload(proxy.port, 'PUT /nospool/chunked.bin HTTP/1.1\r\nHost: proxy.test\r\nTransfer-Encoding: chunked\r\n\r\n', {
      bodyBytes: 64 * KiB,
      chunked: true,
      finish: true,
    });
    assert.equal(res.status, 411, res.text.slice(0, 400));
    assert.equal(errorOf(res), 'OS_ERR_LENGTH_REQUIRED');
    assert.equal(origin.requests.length, before, 'zero origin requests');
    assert.equal(await origin.getObject(BUCKET, 'nospool/chunked.bin'), undefined);
  });

  await t.test('spool.maxSize: 0: a Content-Length upload still streams through (unsigned)', async () => {
    const data = generatedBytes(3 * MiB, 'nospool cl');
    const before = origin.requests.length;
    const res = await raw(proxy.port, { method: 'PUT', path: '/nospool/with-length.bin', headers: { 'content-length': data.length }, body: data });
    assert.equal(res.status, 200, res.text.slice(0, 400));
    const seen = origin.requests.slice(before);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.headers['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD');
    assert.ok((await origin.getObject(BUCKET, 'nospool/with-length.bin'))?.equals(data));
  });

  await t.test('nothing is left in spool.dir after spooled, refused and cut uploads', async () => {
    assert.deepEqual(readdirSync(spoolDir), []);
  });
});
