// README "Reloading the config": a reload of a file whose unquoted secret starts with `*` (a YAML
// alias) logged the yaml library's "Unresolved alias …: <secret>". It now logs the located
// problem only, and the running config keeps serving.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { configFileOf } from '../support/creds-helpers.js';
import { waitForLog } from '../support/access-lines.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { registerSecret } from '../support/secret-registry.js';

const SECRET = 'SeCrEtAlias+K7MDENGbPxRfiCY';
const config = (secret: string): string => `server: { host: 127.0.0.1, port: 0 }
proxies:
  - path: /vod/
    upstream: { bucket: bucket-one, region: eu-central-1, endpoint: "http://127.0.0.1:9" }
    credentials: main
credentials:
  main: { accessKeyId: AKIDRELOADALIAS01, secretAccessKey: ${secret} }
`;

test('a reload with an alias-looking secret logs the located problem, not the secret', { timeout: 30_000 }, async (t) => {
  registerSecret(SECRET); // checked absent from every line the proxy writes, after the test
  const proxy = await startProxyCli(t, config('"plain/secret+0123456789"'));
  const file = configFileOf(proxy);
  const text = config(`*${SECRET}`);
  writeFileSync(file, text);
  const col = text.split('\n')[6]!.indexOf('*') + 1;
  const from = proxy.logs().length;
  process.kill(proxy.pid, 'SIGHUP');
  const refused = await waitForLog(proxy, (l) => l.msg === 'config reload refused; still serving the previous config', 15_000, from);
  assert.deepEqual(refused.problems, [`${file}:7:${col}  credentials.main.secretAccessKey: an unresolved alias: a value starting with * must be quoted`]);
  const health = await fetch(`${proxy.adminUrl}/healthz`);
  assert.equal(health.status, 200);
});
