// README "Command line" (`sign-url`): `--expires 0` and an `--expires-at` in the past printed an
// already expired URL and exited 0. They are now refused, exit 2 with one line, as presign does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../support/creds-helpers.js';
import { binPath } from '../support/paths.js';

test('sign-url refuses an expiry that is not in the future', (t) => {
  const key = join(tempDir(t, 'os-sign-url-past-'), 'private.pem');
  writeFileSync(key, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const sign = (args: string[]) => spawnSync(binPath, ['sign-url', '--key-pair-id', 'K2JCJMDEHXQW5F', '--private-key', key, '--url', 'https://d111111abcdef8.cloudfront.net/vod/a.mp4', ...args], { encoding: 'utf8', timeout: 20_000 });
  for (const [args, message] of [
    [['--expires', '0'], 'origin-signer: sign-url: --expires must be at least 1 second: the URL would already have expired\n'],
    [['--expires-at', '1000'], 'origin-signer: sign-url: --expires-at 1000 is not in the future: the URL would already have expired\n'],
    [['--expires-at', '2020-01-01T00:00:00Z'], 'origin-signer: sign-url: --expires-at 2020-01-01T00:00:00Z is not in the future: the URL would already have expired\n'],
  ] as const) {
    const r = sign([...args]);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, message);
  }
  assert.equal(sign(['--expires', '1']).status, 0);
});
