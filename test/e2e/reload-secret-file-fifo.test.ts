// README "Secrets from files", "Reloading the config": a reload whose `{ file: … }` named a FIFO
// blocked the event loop in the read until someone wrote to it — /healthz stopped answering. The
// reload is now refused at once, naming the path, line and file, and the proxy keeps answering.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { configFileOf, tempDir } from '../support/creds-helpers.js';
import { waitForLog } from '../support/access-lines.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { join } from 'node:path';

const config = (secretFile: string): string => `server: { host: 127.0.0.1, port: 0 }
proxies:
  - path: /vod/
    upstream: { bucket: bucket-one, region: eu-central-1, endpoint: "http://127.0.0.1:9" }
    credentials: main
credentials:
  main: { accessKeyId: AKIDRELOADFIFO001, secretAccessKey: { file: ${secretFile} } }
`;

test('a reload with a FIFO as a secret file is refused at once; the proxy keeps answering', { timeout: 30_000 }, async (t) => {
  const d = tempDir(t, 'os-reloadfifo-');
  writeFileSync(join(d, 'secret'), 'regular/secret+0123456789\n');
  const fifo = join(d, 'fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
  const proxy = await startProxyCli(t, config(join(d, 'secret')));
  const file = configFileOf(proxy);
  writeFileSync(file, config(fifo));
  const from = proxy.logs().length;
  process.kill(proxy.pid, 'SIGHUP');
  const refused = await waitForLog(proxy, (l) => l.msg === 'config reload refused; still serving the previous config', 5_000, from);
  assert.deepEqual(refused.problems, [`${file}:7:60  credentials.main.secretAccessKey: cannot read the secret file ${fifo}: not a regular file`]);
  const health = await fetch(`${proxy.adminUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
  assert.equal(health.status, 200);
});
