// `origin-signer signing-key` as a user runs it: the key on stdout; a bad --date, an unset
// --secret-key-env or empty standard input exit 2 with one line on stderr — never a stack trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { parse } from 'yaml';
import { binPath } from '../support/paths.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function signingKey(args: string[], env: NodeJS.ProcessEnv = {}, input = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(binPath, ['signing-key', '--region', 'eu-central-1', '--service', 's3', ...args], { env: { ...process.env, ...env }, input, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('signing-key prints the entry; the secret comes from the variable named', () => {
  const r = signingKey(['--date', '20261123', '--access-key-id', 'AKIAEXAMPLE', '--secret-key-env', 'OS_E2E_SIGNING_SECRET'], { OS_E2E_SIGNING_SECRET: SECRET });
  assert.equal(r.status, 0, r.stderr);
  const entry = parse(r.stdout) as { accessKeyId: string; signingKey: string; keyScope: string };
  assert.equal(entry.keyScope, '20261123/eu-central-1/s3/aws4_request');
  assert.equal(entry.signingKey, 'EmIryrgCY6jy7vtEO/ZLbwLFA1oBejEYqyVlAHZhrAM=', 'the README example');
  assert.ok(!r.stdout.includes(SECRET));
});

test('signing-key mistakes: exit 2, one line naming the problem, no stack', () => {
  const cases: Array<[string, string[], NodeJS.ProcessEnv, string, RegExp]> = [
    ['--date not YYYYMMDD', ['--date', '2026-11-23', '--secret-key-env', 'OS_E2E_SIGNING_SECRET'], { OS_E2E_SIGNING_SECRET: SECRET }, '', /--date must be YYYYMMDD/],
    ['--date not a day', ['--date', '20261399', '--secret-key-env', 'OS_E2E_SIGNING_SECRET'], { OS_E2E_SIGNING_SECRET: SECRET }, '', /--date must be YYYYMMDD \(a calendar day\), got "20261399"/],
    ['--secret-key-env unset', ['--secret-key-env', 'OS_E2E_UNSET_VARIABLE'], {}, '', /environment variable OS_E2E_UNSET_VARIABLE is empty or not set/],
    ['nothing on standard input', [], {}, '', /no secret access key on standard input/],
    ['no --service', ['--service', ''], {}, SECRET, /signing-key needs --region and --service/],
  ];
  for (const [what, args, env, input, message] of cases) {
    const r = signingKey(args, env, input);
    assert.equal(r.status, 2, `${what}: ${r.stderr}`);
    assert.equal(r.stdout, '', what);
    assert.match(r.stderr, message, what);
    assert.match(r.stderr, /^origin-signer: /, what);
    assert.equal(r.stderr.split('\n').length, 2, `${what}: one line: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /unexpected error|\n\s+at /, what);
    assert.ok(!r.stderr.includes(SECRET), what);
  }
});
