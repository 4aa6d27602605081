// README "Command line" (`presign`): a URL signed with temporary credentials stops working when they
// expire, whatever its X-Amz-Expires; presign said nothing when --expires outlived them. It now
// warns on stderr (the URL is still printed on stdout, exit 0).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { cleanAwsEnv, tempFile } from '../support/creds-helpers.js';
import { binPath } from '../support/paths.js';

test('presign warns when --expires outlives the temporary credentials', (t) => {
  const file = tempFile(
    t,
    'env.yaml',
    `credentials:
  envset: { source: env }
proxies:
  - path: /vod/
    upstream: { bucket: bucket-one, region: eu-central-1 }
    credentials: envset
`,
  );
  const expiration = new Date(Date.now() + 900_000).toISOString();
  const env = cleanAwsEnv(t, { AWS_ACCESS_KEY_ID: 'ASIAPRESIGNWARN01', AWS_SECRET_ACCESS_KEY: 'presign/warn+secret0123456789', AWS_SESSION_TOKEN: 'presign-warn-token-0123456789', AWS_CREDENTIAL_EXPIRATION: expiration });
  const run = (expires: string) => spawnSync(binPath, ['presign', '--config', file, '--path', '/vod/a.mp4', '--expires', expires], { encoding: 'utf8', env, timeout: 20_000 });
  const long = run('3600');
  assert.equal(long.status, 0, long.stderr);
  assert.match(long.stdout, /^https:\/\/bucket-one\.s3\.eu-central-1\.amazonaws\.com\/a\.mp4\?.*X-Amz-Expires=3600/);
  assert.match(long.stderr, /^origin-signer: presign: warning: the URL is valid for 3600 s, but the credentials that sign it expire in \d+ s \(.+\): S3 refuses it from then on\n$/m);
  const short = run('600');
  assert.equal(short.status, 0, short.stderr);
  assert.doesNotMatch(short.stderr, /warning: the URL is valid/);
});
