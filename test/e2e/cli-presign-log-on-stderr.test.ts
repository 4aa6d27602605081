// README "Command line" (results go to stdout): presign's log lines (a credential source failing
// to refresh) went to stdout with the URL, so `URL=$(origin-signer presign …)` captured JSON log
// lines. They now go to stderr; stdout holds the URL or nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { cleanAwsEnv, tempFile } from '../support/creds-helpers.js';
import { binPath } from '../support/paths.js';

test("presign's log lines go to stderr, never into the URL on stdout", (t) => {
  const file = tempFile(
    t,
    'imds.yaml',
    `credentials:
  box: { source: instance-metadata, endpoint: "http://127.0.0.1:1", timeout: 0.2 }
proxies:
  - path: /vod/
    upstream: { bucket: bucket-one, region: eu-central-1 }
    credentials: box
`,
  );
  const run = spawnSync(binPath, ['presign', '--config', file, '--path', '/vod/a.mp4'], { encoding: 'utf8', env: cleanAwsEnv(t), timeout: 20_000 });
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /"msg":"credentials refresh failed"/);
  assert.match(run.stderr, /OS_ERR_CREDENTIALS_UNAVAILABLE/);
});
