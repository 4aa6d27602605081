// `origin-signer sign-url` as a user runs it: --expires is seconds from now (not an epoch time
// that made URLs which expired in 1970), --expires-at takes an epoch time or ISO 8601 date, a
// date or epoch given to --expires is refused with the flag to use, and every output ends with
// a newline. Mistakes exit 2 with one line on stderr.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { binPath } from '../support/paths.js';

const URL_TO_SIGN = 'https://d111111abcdef8.cloudfront.net/vod/trailer.mp4';

function keyFile(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'os-sign-url-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'private.pem');
  writeFileSync(file, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  return file;
}

function signUrl(key: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(binPath, ['sign-url', '--key-pair-id', 'K2JCJMDEHXQW5F', '--private-key', key, '--url', URL_TO_SIGN, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const nowSec = (): number => Math.floor(Date.now() / 1000);
const expiresOf = (out: string): number => Number(/[?&]Expires=(\d+)/.exec(out)?.[1] ?? /CloudFront-Expires=(\d+)/.exec(out)?.[1]);

test('--expires 3600 is an hour from now, and the URL ends with a newline', (t) => {
  const key = keyFile(t);
  const before = nowSec();
  const r = signUrl(key, ['--expires', '3600']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.split('\n').length, 2, 'one line, newline-terminated');
  assert.ok(r.stdout.endsWith('\n'));
  const expires = expiresOf(r.stdout);
  assert.ok(expires >= before + 3600 && expires <= nowSec() + 3600, `Expires=${expires}, now ${before}`);

  const cookies = signUrl(key, ['--expires', '600', '--cookies']);
  assert.equal(cookies.status, 0, cookies.stderr);
  assert.ok(cookies.stdout.endsWith('\n'));
  assert.ok(Math.abs(expiresOf(cookies.stdout) - (nowSec() + 600)) <= 5);
});

test('--expires-at takes an epoch time or an ISO 8601 date-time', (t) => {
  const key = keyFile(t);
  const epoch = nowSec() + 7200;
  assert.equal(expiresOf(signUrl(key, ['--expires-at', String(epoch)]).stdout), epoch);
  assert.equal(expiresOf(signUrl(key, ['--expires-at', '2030-01-01T00:00:00Z']).stdout), Date.UTC(2030, 0, 1) / 1000);
});

test('mistakes exit 2 with one line and the flag to use', (t) => {
  const key = keyFile(t);
  const cases: Array<[string[], RegExp]> = [
    [['--expires', String(nowSec() + 3600)], /looks like an epoch time.*use --expires-at/],
    [['--expires', '2030-01-01T00:00:00Z'], /--expires is a number of seconds from now.*use --expires-at 2030-01-01T00:00:00Z/],
    [['--expires', 'soon'], /--expires is a number of seconds from now, got "soon"/],
    [['--expires', '60', '--expires-at', '2030-01-01T00:00:00Z'], /not both/],
    [['--expires-at', 'tomorrow'], /--expires-at must be epoch seconds or an ISO 8601 date-time/],
    [[], /an expiry is required: --expires SECONDS .* or --expires-at TIME/],
  ];
  for (const [args, message] of cases) {
    const r = signUrl(key, args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '', 'nothing signed is printed');
    assert.match(r.stderr, /^origin-signer: sign-url: /);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
  }
});
