// Regression (hunt, 2026-12-07): a reload naming a directory as `cache.shared.caFile` passed
// `check` (it exists) and then threw EISDIR while the new stores opened — after the old shield had
// been closed — and the rejection went unhandled: the process exited on SIGHUP. `check` now wants
// a regular file, so the reload is refused with the YAML path; the previous config keeps serving,
// its cached entries included. (A store that fails to open after `check` is refused the same way,
// the old stores still open: test/unit/server/reload-never-rejects.test.ts.)
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { waitForLog } from '../support/access-lines.js';
import { configFileOf } from '../support/creds-helpers.js';
import { raw } from '../support/origin-client.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

const BUCKET = 'reload-stores-bucket';
const KEYS = { accessKeyId: 'AKIDRELOADSTORES001', secretAccessKey: 'reload/stores+secret=0123456789' };

test('a reload whose cache stores cannot open is refused, and the proxy keeps serving', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'a.txt', 'cached a');
  const config = (cache: Record<string, unknown>) => ({
    server: { host: '127.0.0.1', port: 0 },
    cache,
    proxies: [blockFor(origin.port, { path: '/c/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS, extra: { cache: { ttl: '1h' } } })],
  });
  const proxy = await startProxyCli(t, config({ memory: { maxSize: '16MiB' } }));
  assert.equal((await raw(proxy.port, { path: '/c/a.txt' })).headers['x-cache'], 'MISS');
  assert.equal((await raw(proxy.port, { path: '/c/a.txt' })).headers['x-cache'], 'HIT');

  const dir = mkdtempSync(join(tmpdir(), 'os-reload-stores-'));
  writeFileSync(configFileOf(proxy), stringify(config({ memory: { maxSize: '16MiB' }, shared: { url: 'rediss://127.0.0.1:6390', caFile: dir } })));
  const from = proxy.logs().length;
  process.kill(proxy.pid, 'SIGHUP');
  const line = await waitForLog(proxy, (l) => typeof l.msg === 'string' && /^config reload/.test(l.msg), 15_000, from);
  assert.equal(line.msg, 'config reload refused; still serving the previous config');
  assert.match(String((line.problems as string[]).join('\n')), /cache\.shared\.caFile: cannot read the CA file .* \(it must be a file\)/);

  const after = await raw(proxy.port, { path: '/c/a.txt' });
  assert.equal(after.status, 200);
  assert.equal(after.headers['x-cache'], 'HIT', 'the previous stores still serve');
  assert.equal(proxy.child.exitCode, null, 'the process is alive');
});
