// Issue #16 item 6: chunked uploads (spooled to a temporary file) whose viewer resets the
// connection right after the first chunk left their spool FileHandle open — the viewer left while
// the file was being opened, before the proxy listened for it — until garbage collection closed it
// with Node's DEP0137 warning. After 200 such uploads the proxy's open descriptors are back to
// where they were, and it printed no such warning.
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { raw } from '../support/origin-client.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { KiB } from '../support/sizes.js';
import { writeBlock } from '../support/writes-helpers.js';
import { generatedBytes } from '../support/generated-body.js';
import { waitFor } from '../support/wait-for.js';

const UPLOADS = 200;
const AT_ONCE = 20;
const openDescriptors = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

/** What the descriptors above the baseline are, for the failure message: `{ "socket": 3, "…spool (deleted)": 120 }`. */
function describeDescriptors(pid: number): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`).replace(/^(socket|pipe|anon_inode):.*/, '$1').replace(/origin-signer-.*\.spool/, 'origin-signer-*.spool');
    } catch {
      continue; // closed meanwhile
    }
    kinds[target] = (kinds[target] ?? 0) + 1;
  }
  return kinds;
}

/** A chunked PUT: the head and one 64 KiB chunk, handed to the kernel, then a TCP reset. */
function resetAfterFirstChunk(port: number, path: string, chunk: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      const head = `PUT ${path} HTTP/1.1\r\nHost: proxy.test\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n`;
      socket.write(Buffer.concat([Buffer.from(head), chunk, Buffer.from('\r\n')]), () => socket.resetAndDestroy());
    });
    socket.on('error', () => undefined); // ours, or the proxy's answer to a reset: either way the upload is cut
    socket.on('close', () => resolve());
  });
}

test('spool file handles are closed after 200 chunked uploads reset after their first chunk', { timeout: 120_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [writeBlock(origin.port, { path: '/ingest/', bucket: BUCKET, credentials: KEYS, methods: ['GET', 'HEAD', 'PUT'] })],
  });
  // A complete chunked upload first, so that what a spool and an upstream connection open once
  // (the thread pool, the pool's socket) is in the baseline.
  const whole = await raw(proxy.port, { method: 'PUT', path: '/ingest/warm-up.bin', headers: { 'transfer-encoding': 'chunked' }, body: generatedBytes(64 * KiB, 'warm-up') });
  assert.equal(whole.status, 200, whole.text);
  const baseline = openDescriptors(proxy.pid);
  t.diagnostic(`baseline: ${baseline} open descriptors`);

  const chunk = generatedBytes(64 * KiB, 'reset');
  for (let i = 0; i < UPLOADS; i += AT_ONCE) {
    await Promise.all(Array.from({ length: AT_ONCE }, (_, j) => resetAfterFirstChunk(proxy.port, `/ingest/reset/${i + j}.bin`, chunk)));
  }

  // Every socket and spool file of the cut uploads closed: back to the baseline (the pool's
  // kept-alive connection may have closed meanwhile, hence at most).
  let now = openDescriptors(proxy.pid);
  await waitFor(() => (now = openDescriptors(proxy.pid)) <= baseline, `the proxy's descriptors back to ${baseline}`, 20_000).catch((err: Error) => {
    throw new Error(`${err.message}: ${now} open: ${JSON.stringify(describeDescriptors(proxy.pid))}`);
  });
  assert.equal((await raw(proxy.port, { path: '/ingest/warm-up.bin' })).status, 200, 'the proxy still serves');
  assert.equal(await origin.getObject(BUCKET, 'reset/0.bin'), undefined, 'a cut upload stores nothing');

  // Any warning is written by the time the process has exited.
  assert.equal(await proxy.stop(), 0);
  const warnings = proxy.stderr.filter((l) => /DEP0137|on garbage collection/.test(l));
  assert.deepEqual(warnings, [], 'no FileHandle was left for garbage collection to close');
});
