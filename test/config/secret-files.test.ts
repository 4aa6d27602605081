// Issue #20, README "Static sites and browsers", Secrets from files: any credential value may be
// `{ file: path }` — the file's text with its trailing newline trimmed (as Docker and Kubernetes
// mount secrets), in named sets and in a block's inline set; a file that cannot be read is a config
// problem naming the YAML path, its line and the file, never a value; `check` shows no secret.
// (A reload reading a rotated file: test/e2e/secret-file-reload.test.ts.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { loadConfigFile } from '../../src/config/load.js';
import { ConfigError, formatPath } from '../../src/config/problems.js';
import type { CredentialSpec } from '../../src/config/types.js';
import { binPath } from '../support/paths.js';

/** Writes `text` as `config.yaml` in `d`; returns its path. */
function configFile(d: string, text: string): string {
  const file = join(d, 'config.yaml');
  writeFileSync(file, text);
  return file;
}

function dir(t: TestContext): string {
  const d = mkdtempSync(join(tmpdir(), 'os-secretfiles-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

const keysOf = (spec: CredentialSpec | undefined): unknown => (spec?.kind === 'static' ? { ...spec.credentials } : spec);

test('credential values from files: the text without its trailing newline, named and inline sets', (t) => {
  const d = dir(t);
  writeFileSync(join(d, 'akid'), 'AKIDFROMAFILE0001\n');
  writeFileSync(join(d, 'secret'), 'file/secret+value=0123456789abcdef\n');
  writeFileSync(join(d, 'token'), 'token//from+a=file\r\n');
  writeFileSync(join(d, 'bare'), 'no-newline-at-all/secret0123456789');
  writeFileSync(join(d, 'two'), 'two-newlines/secret0123456789\n\n');
  const file = configFile(
    d,
    `credentials:
  reader:
    accessKeyId: { file: ${join(d, 'akid')} }
    secretAccessKey: { file: "\${SECRETS_DIR}/secret" }
    sessionToken: { file: ${join(d, 'token')} }
proxies:
  - path: /a/
    upstream: { bucket: my-bucket, region: us-east-1 }
    credentials: reader
  - path: /b/
    upstream: { bucket: my-bucket, region: us-east-1 }
    credentials: { accessKeyId: AKIDINLINE0000001, secretAccessKey: { file: ${join(d, 'bare')} } }
  - path: /c/
    upstream: { bucket: my-bucket, region: us-east-1 }
    credentials: { accessKeyId: AKIDINLINE0000002, secretAccessKey: { file: ${join(d, 'two')} } }
`,
  );
  const { config } = loadConfigFile(file, { env: { SECRETS_DIR: d } });
  assert.deepEqual(keysOf(config.credentials.reader), { accessKeyId: 'AKIDFROMAFILE0001', secretAccessKey: 'file/secret+value=0123456789abcdef', sessionToken: 'token//from+a=file' });
  assert.deepEqual(keysOf(config.proxies[1]!.credentials), { accessKeyId: 'AKIDINLINE0000001', secretAccessKey: 'no-newline-at-all/secret0123456789' });
  assert.deepEqual(keysOf(config.proxies[2]!.credentials), { accessKeyId: 'AKIDINLINE0000002', secretAccessKey: 'two-newlines/secret0123456789\n' }, 'one trailing newline trimmed, no more');

  // `check` prints the effective config with no secret in it.
  const r = spawnSync(binPath, ['check', file], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, SECRETS_DIR: d } });
  assert.equal(r.status, 0, r.stderr);
  for (const secret of ['file/secret+value=0123456789abcdef', 'token//from+a=file', 'no-newline-at-all/secret0123456789', 'two-newlines/secret0123456789']) {
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `check shows no secret (${secret.slice(0, 8)}…)`);
  }
});

test('a secret file that cannot be read is a problem naming the YAML path, the line and the file', (t) => {
  const d = dir(t);
  mkdirSync(join(d, 'a-directory'));
  writeFileSync(join(d, 'present'), 'present/secret0123456789\n');
  const file = configFile(
    d,
    `credentials:
  reader:
    accessKeyId: AKIDREADER0000001
    secretAccessKey: { file: ${join(d, 'missing')} }
  other:
    accessKeyId: { file: ${join(d, 'present')} }
    secretAccessKey: { file: ${join(d, 'a-directory')} }
  empty:
    accessKeyId: AKIDEMPTY00000001
    secretAccessKey: { file: "" }
proxies:
  - path: /a/
    upstream: { bucket: my-bucket, region: us-east-1 }
    credentials: { accessKeyId: AKIDINLINE0000001, sessionToken: { file: ${join(d, 'gone')} }, secretAccessKey: x0123456789 }
`,
  );
  let caught: unknown;
  try {
    loadConfigFile(file, { env: {} });
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ConfigError, String(caught));
  const got = caught.problems.map((p) => [formatPath(p.path), p.line, p.message]);
  assert.deepEqual(
    got.map(([path, line]) => [path, line]),
    [
      ['credentials.reader.secretAccessKey', 4],
      ['credentials.other.secretAccessKey', 7],
      ['credentials.empty.secretAccessKey', 10],
      ['proxies[0].credentials.sessionToken', 14],
    ],
    JSON.stringify(got, null, 1),
  );
  assert.match(String(got[0]![2]), new RegExp(`cannot read the secret file ${join(d, 'missing')}: ENOENT`));
  assert.match(String(got[1]![2]), /cannot read the secret file .*a-directory: not a regular file/);
  assert.match(String(got[2]![2]), /file: must name a file/);
  assert.match(String(got[3]![2]), /gone: ENOENT/);
  assert.ok(!caught.message.includes('present/secret'), 'no value in the message');
  assert.ok(caught.message.includes(`${file}:4:`), caught.message);
});
