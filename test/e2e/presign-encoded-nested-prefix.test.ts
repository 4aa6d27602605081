// README "Command line" (`presign`) and test/e2e/nested-block-encoded-prefix.test.ts: the proxy
// refuses `/media/%70rivate/x` (OS_ERR_ENCODED_PREFIX) since, decoded, it is under the nested
// `/media/private/` block; presign signed it for `/media/` — a PUT link into the nested block's
// objects that its methods forbid. presign now refuses it too, exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { cleanAwsEnv, tempFile } from '../support/creds-helpers.js';
import { binPath } from '../support/paths.js';

test('presign refuses a path whose encoded prefix names a nested block', (t) => {
  const file = tempFile(
    t,
    'nested.yaml',
    `proxies:
  - path: /media/
    upstream: { bucket: bucket-one, region: eu-central-1 }
    credentials: { accessKeyId: AKIAEXAMPLE, secretAccessKey: presign/nested+secret0123 }
    methods: [GET, HEAD, PUT]
  - path: /media/private/
    upstream: { bucket: bucket-one, region: eu-central-1, keyPrefix: private/ }
    credentials: { accessKeyId: AKIAEXAMPLE, secretAccessKey: presign/nested+secret0123 }
    methods: [GET, HEAD]
`,
  );
  const presign = (path: string) => spawnSync(binPath, ['presign', '--config', file, '--method', 'PUT', '--path', path], { encoding: 'utf8', env: cleanAwsEnv(t), timeout: 20_000 });
  const refused = presign('/media/%70rivate/x');
  assert.equal(refused.status, 2, refused.stdout);
  assert.equal(refused.stdout, '');
  assert.match(refused.stderr, /^origin-signer: presign: \/media\/%70rivate\/x: the path, percent-decoded, is under \/media\/private\/, which serves it/);
  const fine = presign('/media/a%20b');
  assert.equal(fine.status, 0, fine.stderr);
  assert.match(fine.stdout, /^https:\/\/bucket-one\.s3\.eu-central-1\.amazonaws\.com\/a%20b\?/);
});
