// README "Command line" (`health` reads `server.admin`, nothing else): it converted the whole file,
// so a YAML problem anywhere in an edited file made it report the running proxy unhealthy, and an
// unquoted secret starting with `*` landed in its output (kept by Docker in the health log). It
// now reads only server.admin, and prints no parser text.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { configFileOf } from '../support/creds-helpers.js';
import { binPath } from '../support/paths.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { freePort } from '../support/sockets.js';

const SECRET = 'SeCrEtAlias+K7MDENGbPxRfiCY';

test('health: a broken or alias-laden rest of the file neither fails the probe nor shows up in it', { timeout: 30_000 }, async (t) => {
  const adminPort = await freePort();
  const head = `server: { host: 127.0.0.1, port: 0, admin: { host: 127.0.0.1, port: ${adminPort} } }
proxies:
  - path: /vod/
    upstream: { bucket: bucket-one, region: eu-central-1, endpoint: "http://127.0.0.1:9" }
    credentials: main
credentials:
`;
  const proxy = await startProxyCli(t, `${head}  main: { accessKeyId: AKIDHEALTHONLY001, secretAccessKey: "plain/secret+0123456789" }\n`);
  const file = configFileOf(proxy);
  for (const rest of [`  main: { accessKeyId: AKIDHEALTHONLY001, secretAccessKey: *${SECRET} }\n`, `  main: { accessKeyId: AKIDHEALTHONLY001, secretAccessKey: "${SECRET} }\n`]) {
    writeFileSync(file, head + rest);
    const run = spawnSync(binPath, ['health', '--config', file], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.stdout, `healthy: http://127.0.0.1:${adminPort}/healthz answered 200\n`, rest);
    assert.equal(run.status, 0);
    assert.ok(!`${run.stdout}${run.stderr}`.includes('SeCrEt'));
  }
});
