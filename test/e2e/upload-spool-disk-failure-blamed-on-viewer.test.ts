// Regression: the proxy's own spool failing (its directory gone: ENOENT; a full disk: ENOSPC) was
// answered 400 OS_ERR_BAD_REQUEST "the upload did not complete", blaming the viewer. A failure of
// the proxy's disk is now 507 OS_ERR_SPOOL_FAILED (RFC 4918 §11.5), logged at error level, and
// nothing reaches the store; a viewer who leaves mid-upload is still the viewer's doing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { rawSocket } from '../support/origin-client.js';
import { waitFor } from '../support/wait-for.js';
import { writeBlock } from '../support/writes-helpers.js';

test('an upload whose spool directory is gone is answered 507, logged at error level, and stored nowhere', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'os-spool-gone-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [writeBlock(origin.port, { path: '/s/', bucket: BUCKET, credentials: KEYS, payload: 'sha256', keyPrefix: 's/', spool: { dir } })],
  });
  rmSync(dir, { recursive: true });
  const before = origin.requests.length;
  for (const [what, head, body] of [
    ['payload: sha256 with Content-Length', 'PUT /s/x.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\n', 'hello'],
    ['chunked', 'PUT /s/x.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n', '5\r\nhello\r\n0\r\n\r\n'],
  ] as const) {
    const res = await rawSocket(proxy.port, head, body);
    assert.equal(res.status, 507, `${what}: ${res.text}`);
    assert.match(res.text, /"error":"OS_ERR_SPOOL_FAILED"/, what);
    assert.doesNotMatch(res.text, new RegExp(dir), `${what}: the spool path stays in the log`);
  }
  assert.equal(origin.requests.length, before, 'nothing reached the store');
  assert.equal(await origin.getObject(BUCKET, 's/x.txt'), undefined);
  await waitFor(() => proxy.logs().filter((l) => l.level === 'error' && l.code === 'ENOENT').length === 2, 'two error-level lines with ENOENT');
  await waitFor(() => proxy.logs().filter((l) => l.msg === 'request' && l.status === 507 && l.error === 'OS_ERR_SPOOL_FAILED').length === 2, 'two access lines with 507');
});
