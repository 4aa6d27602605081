// README "Command line": `check`, `check --json` and `serve` on a file whose unquoted secret starts
// with `*` (a YAML alias) printed the secret in the yaml library's "Unresolved alias" message
// (exit 2, no JSON, a stack for serve). Each now reports the located problem (exit 1), never the text.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { cleanAwsEnv, tempFile } from '../support/creds-helpers.js';
import { binPath } from '../support/paths.js';
import { aliasSecretConfig } from '../support/alias-secret.js';


test('check, check --json and serve: an alias-looking secret is a located problem, never printed', { timeout: 30_000 }, (t) => {
  const file = tempFile(
    t,
    'alias.yaml',
    aliasSecretConfig('server: { host: 127.0.0.1, port: 0, admin: { port: 0 } }\n'),
  );
  const env = cleanAwsEnv(t);
  for (const args of [['check', file], ['serve', '--config', file]]) {
    const run = spawnSync(binPath, args, { encoding: 'utf8', env, timeout: 20_000 });
    assert.equal(run.status, 1, `${args[0]}: ${run.stderr}`);
    assert.match(run.stderr, /OS_ERR_CONFIG_INVALID/);
    assert.ok(run.stderr.includes(`${file}:5:22  credentials.main.secretAccessKey: an unresolved alias`), run.stderr);
    assert.ok(!`${run.stdout}${run.stderr}`.includes('SeCrEt'), `${args[0]} printed the secret`);
  }
  const json = spawnSync(binPath, ['check', '--json', file], { encoding: 'utf8', env, timeout: 20_000 });
  assert.equal(json.status, 1, json.stderr);
  const doc = JSON.parse(json.stdout) as { valid: boolean; problems: Array<{ path: string; line: number; message: string }> };
  assert.equal(doc.valid, false);
  assert.deepEqual(doc.problems.map((p) => [p.path, p.line]), [['credentials.main.secretAccessKey', 5]]);
  assert.ok(!`${json.stdout}${json.stderr}`.includes('SeCrEt'), 'check --json printed the secret');
});
