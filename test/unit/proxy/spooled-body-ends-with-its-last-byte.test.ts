// Regression (CI flake, "spool files are closed once 60 spooled uploads have been sent": 502
// OS_ERR_UPSTREAM_EARLY_ANSWER): the spooled body's read stream learnt it was done only from one
// more disk read after its last byte. The store, having every byte, could answer before that
// read came back; the proxy saw the body close without its end and took the upload for cut.
// The stream now ends on the tick of its last byte, before any other I/O is seen.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { spool } from '../../../src/proxy/spool.js';

const viewerUpload = (parts: Buffer[]): IncomingMessage => Readable.from(parts) as unknown as IncomingMessage;

for (const size of [1, 16 * 1024, 64 * 1024, 200_001]) {
  test(`a spooled body of ${size} bytes ends before the next I/O turn after its last byte`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'spool-end-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const data = Buffer.alloc(size, 7);
    const parts = [data.subarray(0, size >> 1), data.subarray(size >> 1)].filter((p) => p.length > 0);
    const spooled = await spool(viewerUpload(parts), { dir, limit: 1 << 20, hash: false });
    assert.equal(spooled.size, size);
    let seen = 0;
    let ended = false;
    const verdict = new Promise<boolean>((resolve) => {
      spooled.body.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        // What a store's answer would ride on: the next turn of the event loop.
        if (seen === size) setImmediate(() => resolve(ended));
      });
    });
    spooled.body.on('end', () => (ended = true));
    assert.equal(await verdict, true, 'the body had not ended one I/O turn after its last byte');
    await new Promise((resolve) => spooled.body.once('close', resolve));
  });
}

test('an empty spooled body still ends', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spool-end-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const spooled = await spool(viewerUpload([]), { dir, limit: 1 << 20, hash: false });
  assert.equal(spooled.size, 0);
  spooled.body.resume();
  await new Promise((resolve) => spooled.body.once('end', resolve));
});
