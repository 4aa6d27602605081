// `origin-signer presign` on a directory bucket (S3 Express One Zone) block: refused with a reason
// (exit 2) — a URL signed with the block's own keys would not be accepted, and one signed with a
// 5-minute session would not outlive it. It printed a URL that could never work (issue #22 review).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { binPath } from '../support/paths.js';
import { writeConfig } from '../support/proxy-cli.js';

test('presign refuses a directory bucket block and says why', () => {
  const file = writeConfig({
    proxies: [{ path: '/x/', upstream: { bucket: 'media--usw2-az1--x-s3', region: 'us-west-2' }, credentials: { accessKeyId: 'AKIDEXPRESSPRESIGN1', secretAccessKey: 'express/presign+secret' } }],
  });
  const r = spawnSync(binPath, ['presign', '--config', file, '--path', '/x/a.txt'], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /directory bucket \(S3 Express One Zone\)/);
});
