// `origin-signer health` (the image's HEALTHCHECK): it reads server.admin from the config and
// exits 0 with one line when /healthz answers there, 1 when nothing does — run as the container
// runtime runs it, against a real proxy on a non-default admin port.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { configFileOf } from '../support/creds-helpers.js';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { binPath } from '../support/paths.js';
import { blockFor, startProxyCli, writeConfig } from '../support/proxy-cli.js';
import { freePort } from '../support/sockets.js';

const health = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnSync(binPath, ['health', ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20_000 });

test('health: 0 against a running proxy on a non-default admin port, 1 when nothing listens', async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const adminPort = await freePort();
  const block = blockFor(origin.port, { path: '/p/', bucket: BUCKET, version: 'v4', mode: 'header', addressing: 'path', credentials: KEYS });
  // The admin port from the environment, as a deployment would write it.
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0, admin: { host: '0.0.0.0', port: '${ADMIN_PORT}' } }, proxies: [block] }, { ADMIN_PORT: String(adminPort) });
  const file = configFileOf(proxy);

  const up = health(['--config', file], { ADMIN_PORT: String(adminPort) });
  assert.equal(up.status, 0, up.stdout + up.stderr);
  assert.equal(up.stdout, `healthy: http://127.0.0.1:${adminPort}/healthz answered 200\n`, '0.0.0.0 is probed on loopback');
  assert.equal(up.stderr, '');

  const deadPort = await freePort();
  const nobody = writeConfig({ server: { admin: { host: '127.0.0.1', port: deadPort } }, proxies: [block] });
  const down = health(['--config', nobody]);
  assert.equal(down.status, 1, down.stdout + down.stderr);
  assert.equal(down.stdout, `unhealthy: http://127.0.0.1:${deadPort}/healthz: ECONNREFUSED\n`);

  const missing = health(['--config', `${file}.missing`]);
  assert.equal(missing.status, 1);
  assert.match(missing.stdout, /^unhealthy: cannot read the admin address from .*\.missing: ENOENT/);
});
