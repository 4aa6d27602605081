// README "Operations → Logs": a config that cannot start, `check` of a broken file (schema problems
// and a YAML syntax error on a secret's own line) and `check` of a good one print no secret; the
// good one's secrets are shown masked.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { cleanAwsEnv, tempFile } from '../support/creds-helpers.js';
import { binPath } from '../support/paths.js';
import { secret } from '../support/redaction-fixtures.js';
import { assertNoLeaks } from '../support/secret-registry.js';

test('config errors at start-up and `check` print no secret', { timeout: 30_000 }, async (t) => {
  const s = { secret: secret('startup-secret'), token: secret('startup-token'), signingKey: secret('startup-signing-key'), header: secret('startup-header') };
  const bad = tempFile(
    t,
    'bad.yaml',
    [
      'credentials:',
      `  a: { accessKeyId: AKIDREDACTSTART1, secretAccessKey: "${s.secret}", sessionToken: "${s.token}", unknownKey: 1 }`,
      `  b: { accessKeyId: AKIDREDACTSTART2, signingKey: "${s.signingKey}", keyScope: 20260101/us-east-1/s3/aws4_request }`,
      'proxies:',
      '  - path: /p/',
      '    upstream: { bucket: x, region: us-east-1 }',
      '    credentials: a',
      `    access: { requireHeader: { name: "bad header name", values: ["${s.header}"] } }`,
    ].join('\n'),
  );
  for (const args of [['serve', '--config', bad], ['check', bad]]) {
    const run = spawnSync(binPath, args, { encoding: 'utf8', env: cleanAwsEnv(t), timeout: 20_000 });
    assert.equal(run.status, 1, `${args[0]}: ${run.stderr}`);
    assert.match(run.stderr, /OS_ERR_CONFIG_INVALID/);
    assert.match(run.stderr, /credentials\.b\.signingKey/);
    assertNoLeaks(`origin-signer ${args[0]} with a broken config`, { stdout: run.stdout.split('\n'), stderr: run.stderr.split('\n') });
  }
  // A YAML syntax error on a secret's own line.
  const unparsable = tempFile(t, 'unparsable.yaml', `credentials:\n  a:\n    accessKeyId: AKIDREDACTSTART3\n    secretAccessKey: "${secret('unterminated-secret')}\nproxies: []\n`);
  const run = spawnSync(binPath, ['check', unparsable], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(run.status, 1);
  assertNoLeaks('check with a YAML syntax error', { stdout: run.stdout.split('\n'), stderr: run.stderr.split('\n') });

  // `check` on a valid file shows the config with every secret masked.
  const good = tempFile(
    t,
    'good.yaml',
    stringify({
      credentials: { a: { accessKeyId: 'AKIDREDACTSTART4', secretAccessKey: secret('check-secret'), sessionToken: secret('check-token') } },
      proxies: [{ path: '/p/', upstream: { bucket: 'check-bucket', region: 'us-east-1' }, credentials: 'a', access: { requireHeader: { name: 'x-origin-secret', values: [secret('check-header')] } } }],
    }),
  );
  const ok = spawnSync(binPath, ['check', good], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /AKIDREDACTSTART4/);
  assertNoLeaks('check of a valid config', { stdout: ok.stdout.split('\n'), stderr: ok.stderr.split('\n') });
});
