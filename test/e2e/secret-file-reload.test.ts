// Issue #20, README "Static sites and browsers", Secrets from files, read at every reload: the
// CLI proxy signs with the secret from a mounted file; the store's secret is rotated (the strict
// origin now verifies with the new one only) and the old one is refused; the file is replaced as
// Kubernetes does (a new file renamed over the old) and SIGHUP makes the proxy sign with the new
// secret — the config file itself unchanged. A file gone at a reload is a refused reload naming
// it, and the running config keeps serving. Neither secret ever appears in the proxy's output.
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { raw } from '../support/origin-client.js';
import { blockFor, startProxyCli, type ProxyProcess } from '../support/proxy-cli.js';
import { registerSecret } from '../support/secret-registry.js';
import { waitForLog } from '../support/access-lines.js';

const BUCKET = 'secret-file-bucket';
const AKID = 'AKIDSECRETFILE00001';
const OLD = 'secret/file+OLD=0123456789abcdef';
const NEW = 'secret/file+NEW=fedcba9876543210';

async function sighup(proxy: ProxyProcess, msg: RegExp): Promise<Record<string, unknown>> {
  const from = proxy.logs().length;
  process.kill(proxy.pid, 'SIGHUP');
  return waitForLog(proxy, (l) => typeof l.msg === 'string' && /^config reload/.test(l.msg) && msg.test(l.msg), 15_000, from);
}

test('a reload reads the rotated secret file', { timeout: 60_000 }, async (t) => {
  // The leak check run after the test (startProxyCli) looks for these too: they are not in the config.
  registerSecret(OLD);
  registerSecret(NEW);
  const dir = mkdtempSync(join(tmpdir(), 'os-secret-reload-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const secretFile = join(dir, 's3-secret');
  writeFileSync(secretFile, `${OLD}\n`);

  const origin = await startStrictOrigin({ credentials: [{ accessKeyId: AKID, secretAccessKey: OLD }], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'hello.txt', 'hello\n');
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    credentials: { reader: { accessKeyId: AKID, secretAccessKey: { file: secretFile } } },
    proxies: [blockFor(origin.port, { path: '/p/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: 'reader' })],
  });

  const first = await raw(proxy.port, { path: '/p/hello.txt' });
  assert.equal(first.status, 200, first.text);
  assert.equal(origin.requests.at(-1)!.auth, 'v4-header');

  // The store rotates: the old secret no longer verifies.
  origin.setCredentials([{ accessKeyId: AKID, secretAccessKey: NEW }]);
  const stale = await raw(proxy.port, { path: '/p/hello.txt' });
  assert.equal(stale.status, 403, 'signed with the old secret');
  assert.match(stale.text, /SignatureDoesNotMatch/);

  // The mounted secret is replaced (a new file renamed over it); the config file is untouched.
  writeFileSync(`${secretFile}.new`, `${NEW}\n`);
  renameSync(`${secretFile}.new`, secretFile);
  await sighup(proxy, /^config reloaded$/);
  const fresh = await raw(proxy.port, { path: '/p/hello.txt' });
  assert.equal(fresh.status, 200, `signed with the new secret: ${fresh.text}`);
  assert.equal(origin.requests.at(-1)!.status, 200);

  // The file gone: the reload is refused, naming the YAML path and the file; the proxy keeps serving.
  rmSync(secretFile);
  const refused = await sighup(proxy, /^config reload refused/);
  const problems = refused.problems as string[];
  assert.ok(problems.some((p) => p.includes('credentials.reader.secretAccessKey') && p.includes(`${secretFile}: ENOENT`)), problems.join('\n'));
  assert.equal((await raw(proxy.port, { path: '/p/hello.txt' })).status, 200, 'still the new secret');
});
