// README "Credential sources": mistakes in a `source:` set are config errors that name the YAML path
// and the line it stands on (unknown source, assume-role without roleArn / sourceCredentials, a
// sourceCredentials naming no set, an assume-role loop, a roleArn that is not an ARN, an unknown
// key), and `origin-signer check` prints source sets with their defaults filled in.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { parse } from 'yaml';
import { loadConfigFile } from '../../src/config/load.js';
import { ConfigError, formatPath } from '../../src/config/problems.js';
import { binPath } from '../support/paths.js';

const BLOCK = (creds: string): string => `proxies:
  - path: /p/
    upstream: { bucket: my-bucket, region: us-east-1 }
    credentials: ${creds}
`;

function tempConfig(t: TestContext, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'os-credcfg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, text);
  return file;
}

/** Two assume-role sets naming each other (sourceCredentials on lines 5 and 9). */
const LOOP = `credentials:
  a:
    source: assume-role
    roleArn: arn:aws:iam::123456789012:role/a
    sourceCredentials: b
  b:
    source: assume-role
    roleArn: arn:aws:iam::123456789012:role/b
    sourceCredentials: a
${BLOCK('a')}`;

/** [yaml, expected problems as [path, line, message pattern]] — every problem, in line order. */
const CASES: Record<string, [string, Array<[string, number, RegExp]>]> = {
  'unknown source': [
    `credentials:
  box:
    source: magic-metadata
${BLOCK('box')}`,
    [['credentials.box.source', 3, /source must be one of env, profile, instance-metadata, container, web-identity, assume-role, chain/]],
  ],
  'assume-role without roleArn': [
    `credentials:
  base: { source: instance-metadata }
  reader:
    source: assume-role
    sourceCredentials: base
${BLOCK('reader')}`,
    [['credentials.reader.roleArn', 3, /required/]],
  ],
  'assume-role without sourceCredentials': [
    `credentials:
  reader:
    source: assume-role
    roleArn: arn:aws:iam::123456789012:role/reader
${BLOCK('reader')}`,
    [['credentials.reader.sourceCredentials', 2, /required/]],
  ],
  'sourceCredentials naming an unknown set': [
    `credentials:
  base: { source: instance-metadata }
  reader:
    source: assume-role
    roleArn: arn:aws:iam::123456789012:role/reader
    sourceCredentials: bsae
${BLOCK('reader')}`,
    [['credentials.reader.sourceCredentials', 6, /no credential set named "bsae"/]],
  ],
  'inline assume-role naming an unknown set': [
    `proxies:
  - path: /p/
    upstream: { bucket: my-bucket, region: us-east-1 }
    credentials:
      source: assume-role
      roleArn: arn:aws:iam::123456789012:role/reader
      sourceCredentials: nowhere
`,
    [['proxies[0].credentials.sourceCredentials', 7, /no credential set named "nowhere"/]],
  ],
  'assume-role loop a → b → a': [
    LOOP,
    [
      ['credentials.a.sourceCredentials', 5, /loop: a → b → a/],
      ['credentials.b.sourceCredentials', 9, /loop: b → a → b/],
    ],
  ],
  'assume-role naming itself': [
    `credentials:
  self:
    source: assume-role
    roleArn: arn:aws:iam::123456789012:role/self
    sourceCredentials: self
${BLOCK('self')}`,
    [['credentials.self.sourceCredentials', 5, /loop: self → self/]],
  ],
  'roleArn not an ARN': [
    `credentials:
  base: { source: instance-metadata }
  reader:
    source: assume-role
    roleArn: role/reader
    sourceCredentials: base
  irsa:
    source: web-identity
    roleArn: reader
${BLOCK('reader')}`,
    [
      ['credentials.reader.roleArn', 5, /roleArn must be an ARN/],
      ['credentials.irsa.roleArn', 9, /roleArn must be an ARN/],
    ],
  ],
  'unknown key inside a source set': [
    `credentials:
  box:
    source: instance-metadata
    allowIMDSv1: true
  reader:
    source: assume-role
    roleArn: arn:aws:iam::123456789012:role/reader
    sourceCredentials: box
    externalID: cdn
${BLOCK('reader')}`,
    [
      ['credentials.box.allowIMDSv1', 4, /unknown key "allowIMDSv1"/],
      ['credentials.reader.externalID', 9, /unknown key "externalID"/],
    ],
  ],
  'keys of another source': [
    `credentials:
  box:
    source: container
    endpoint: http://127.0.0.1:1234
${BLOCK('box')}`,
    [['credentials.box.endpoint', 4, /unknown key "endpoint"/]],
  ],
};

for (const [name, [yaml, expected]] of Object.entries(CASES)) {
  test(`credential source config error: ${name}`, (t) => {
    const file = tempConfig(t, yaml);
    let caught: unknown;
    try {
      loadConfigFile(file, { env: {} });
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
    assert.equal(caught.code, 'OS_ERR_CONFIG_INVALID');
    const got = caught.problems.map((p) => ({ path: formatPath(p.path), line: p.line, message: p.message }));
    assert.equal(got.length, expected.length, JSON.stringify(got, null, 1));
    expected.forEach(([path, line, message], i) => {
      assert.equal(got[i]!.path, path, JSON.stringify(got));
      assert.equal(got[i]!.line, line, `${path}: line`);
      assert.match(got[i]!.message, message);
      assert.ok(caught.message.includes(`${file}:${line}:`) && caught.message.includes(`  ${path}: `), caught.message);
    });
  });
}

test('a valid file with every source loads, and check prints the source sets with their defaults', (t) => {
  const file = tempConfig(
    t,
    `credentials:
  box: { source: instance-metadata }
  box-v1: { source: instance-metadata, endpoint: "http://127.0.0.1:1338", allowImdsV1: true, timeout: 1, refreshBefore: 60 }
  task: { source: container }
  irsa: { source: web-identity, roleArn: "arn:aws:iam::123456789012:role/irsa", stsEndpoint: "http://127.0.0.1:1339" }
  reader:
    source: assume-role
    roleArn: arn:aws:iam::123456789012:role/reader
    sourceCredentials: box
    externalId: cdn-origin
  dev: { source: profile, profile: media-dev }
  from-env: { source: env }
  anything: { source: chain }
${BLOCK('reader')}  - path: /q/
    upstream: { bucket: my-bucket, region: us-east-1 }
    credentials: { source: chain, allowImdsV1: true }
`,
  );
  const loaded = loadConfigFile(file, { env: {} });
  assert.deepEqual(Object.keys(loaded.config.credentials), ['box', 'box-v1', 'task', 'irsa', 'reader', 'dev', 'from-env', 'anything']);

  const r = spawnSync(binPath, ['check', file], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_PROFILE: '' } });
  assert.equal(r.status, 0, r.stderr);
  const printed = parse(r.stdout) as { credentials: Record<string, Record<string, unknown>>; proxies: Array<{ credentials: unknown }> };
  const c = printed.credentials;
  assert.deepEqual(c.box, { source: 'instance-metadata', allowImdsV1: false, timeout: 2, refreshBefore: 300 });
  assert.deepEqual(c['box-v1'], { source: 'instance-metadata', endpoint: 'http://127.0.0.1:1338', allowImdsV1: true, timeout: 1, refreshBefore: 60 });
  assert.deepEqual(c.task, { source: 'container', timeout: 2, refreshBefore: 300 });
  assert.deepEqual(c.irsa, { source: 'web-identity', roleArn: 'arn:aws:iam::123456789012:role/irsa', stsEndpoint: 'http://127.0.0.1:1339', timeout: 2, refreshBefore: 300 });
  assert.deepEqual(c.reader, {
    source: 'assume-role',
    roleArn: 'arn:aws:iam::123456789012:role/reader',
    sessionName: 'origin-signer',
    durationSeconds: 3600,
    externalId: 'cdn-origin',
    sourceCredentials: 'box',
    timeout: 2,
    refreshBefore: 300,
  });
  assert.deepEqual(c.dev, { source: 'profile', profile: 'media-dev', refreshBefore: 300 });
  assert.deepEqual(c['from-env'], { source: 'env', refreshBefore: 300 });
  assert.deepEqual(c.anything, { source: 'chain', allowImdsV1: false, timeout: 2, refreshBefore: 300 });
  assert.equal(printed.proxies[0]!.credentials, 'reader');
  assert.deepEqual(printed.proxies[1]!.credentials, { source: 'chain', allowImdsV1: true, timeout: 2, refreshBefore: 300 });
  // Source sets hold no secret, so nothing is masked.
  assert.doesNotMatch(r.stdout, /\*{8}/);
});

test('check on a file with a source mistake exits 1 and lists it as FILE:LINE:COL  path: message', (t) => {
  const file = tempConfig(t, LOOP);
  const r = spawnSync(binPath, ['check', file], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 1, r.stdout);
  const out = r.stdout + r.stderr;
  assert.match(out, /OS_ERR_CONFIG_INVALID|problem/);
  assert.ok(out.includes(`${file}:5:`) && out.includes('credentials.a.sourceCredentials: assume-role sources loop: a → b → a'), out);
  assert.ok(out.includes(`${file}:9:`) && out.includes('credentials.b.sourceCredentials: assume-role sources loop: b → a → b'), out);
});
