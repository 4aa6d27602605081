// README "Command line" (`presign`) and "credentials" (pre-derived keys): presign signed with a
// pre-derived key whose scope date was not today and exited 0 with a URL S3 refuses; the proxy
// refuses that case (OS_ERR_CREDENTIALS_UNAVAILABLE). presign now exits 2 with the reason.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { cleanAwsEnv, tempFile } from '../support/creds-helpers.js';
import { binPath } from '../support/paths.js';

test('presign refuses a pre-derived key dated another day, exit 2 with the reason', (t) => {
  const file = tempFile(
    t,
    'derived.yaml',
    `credentials:
  d: { accessKeyId: AKIAEXAMPLE, signingKey: "AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=", keyScope: 20200101/eu-central-1/s3/aws4_request }
proxies:
  - path: /vod/
    upstream: { bucket: bucket-one, region: eu-central-1 }
    credentials: d
`,
  );
  const run = spawnSync(binPath, ['presign', '--config', file, '--path', '/vod/a.mp4'], { encoding: 'utf8', env: cleanAwsEnv(t), timeout: 20_000 });
  assert.equal(run.status, 2, run.stdout + run.stderr);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^origin-signer: presign: credentials "d": the pre-derived signing key is for 20200101 and cannot sign a request dated \d{8}; derive a key for today\n$/);
});
