// README "Command line" (`sign-url`): a URL with a #fragment got its parameters after the `#`
// (`…/a.mp4#t=1?Expires=…`), where a browser never sends them, and the fragment in the signed
// resource, which CloudFront never sees. The URL is now signed without the fragment, and the
// parameters go before it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../support/creds-helpers.js';
import { binPath } from '../support/paths.js';

test('sign-url puts the parameters before a #fragment and signs the URL without it', (t) => {
  const key = join(tempDir(t, 'os-sign-url-fragment-'), 'private.pem');
  writeFileSync(key, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const expiresAt = String(Math.floor(Date.now() / 1000) + 3600);
  const sign = (url: string) => spawnSync(binPath, ['sign-url', '--key-pair-id', 'K2JCJMDEHXQW5F', '--private-key', key, '--url', url, '--expires-at', expiresAt], { encoding: 'utf8', timeout: 20_000 });
  const plain = sign('https://d111111abcdef8.cloudfront.net/vod/a.mp4');
  const withFragment = sign('https://d111111abcdef8.cloudfront.net/vod/a.mp4#t=1');
  assert.equal(plain.status, 0, plain.stderr);
  assert.equal(withFragment.status, 0, withFragment.stderr);
  // RSA PKCS#1 v1.5 signatures are deterministic: the same resource gives the same URL.
  assert.equal(withFragment.stdout, `${plain.stdout.trimEnd()}#t=1\n`);
});
