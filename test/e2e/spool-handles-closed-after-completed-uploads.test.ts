// Regression: every spooled upload that succeeded (payload: sha256, or a chunked body) kept its
// spool file open until garbage collection closed it (DEP0137): the write stream, made with
// autoClose: false on the FileHandle, held a reference on it that it never dropped, so the read
// stream's close waited for ever. After 60 completed uploads no spool file is open.
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { raw } from '../support/origin-client.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { KiB } from '../support/sizes.js';
import { writeBlock } from '../support/writes-helpers.js';
import { generatedBytes } from '../support/generated-body.js';
import { waitFor } from '../support/wait-for.js';

const spoolFiles = (pid: number): number =>
  readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`).includes('.spool');
    } catch {
      return false; // closed meanwhile
    }
  }).length;

test('spool files are closed once 60 spooled uploads have been sent', { timeout: 120_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const methods = ['GET', 'HEAD', 'PUT'];
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [
      writeBlock(origin.port, { path: '/sha/', bucket: BUCKET, credentials: KEYS, payload: 'sha256', methods }),
      writeBlock(origin.port, { path: '/chunked/', bucket: BUCKET, credentials: KEYS, methods }),
    ],
  });
  const body = generatedBytes(16 * KiB, 'spooled');
  for (let i = 0; i < 30; i++) {
    const sha = await raw(proxy.port, { method: 'PUT', path: `/sha/${i}.bin`, headers: { 'content-length': body.length }, body });
    assert.equal(sha.status, 200, sha.text);
    const chunked = await raw(proxy.port, { method: 'PUT', path: `/chunked/${i}.bin`, headers: { 'transfer-encoding': 'chunked' }, body });
    assert.equal(chunked.status, 200, chunked.text);
  }
  assert.ok((await origin.getObject(BUCKET, '29.bin'))?.equals(body));
  await waitFor(() => spoolFiles(proxy.pid) === 0, 'no spool file open in the proxy', 10_000).catch((err: Error) => {
    throw new Error(`${err.message}: ${spoolFiles(proxy.pid)} still open`);
  });
  assert.equal(await proxy.stop(), 0);
  assert.deepEqual(proxy.stderr.filter((l) => /DEP0137|on garbage collection/.test(l)), []);
});
