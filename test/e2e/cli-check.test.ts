// `origin-signer check FILE` as a user runs it: a valid file prints the effective config as YAML
// (defaults and derived values filled in) with every secret masked; a stale pre-derived key is
// warned about; an invalid file lists every problem — field and cross-field — and every warning
// as `FILE:LINE:COL  path: message` in one run and exits 1; --json gives the same for CI;
// --allow-missing-env names the variables needed; a missing file, --help, a bare invocation and
// an unknown command behave as the usage says.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { parse } from 'yaml';
import { binPath } from '../support/paths.js';

const SECRETS = {
  reader: 'check-secret-READER-0001',
  token: 'check-session-TOKEN-0002',
  inline: 'check-secret-INLINE-0003',
  env: 'check-secret-FROM-ENV-0004',
  signingKey: Buffer.from('check-signing-key-32-bytes-long!').toString('base64'),
};

function cli(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(binPath, [...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempFile(t: TestContext, name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'os-check-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const stamp = (d: Date): string => d.toISOString().slice(0, 10).replaceAll('-', '');

function validConfig(scopeDate: string): string {
  return `server:
  port: 9999
credentials:
  reader:
    accessKeyId: AKIDCHECKREADER
    secretAccessKey: ${SECRETS.reader}
    sessionToken: ${SECRETS.token}
  derived:
    accessKeyId: AKIDCHECKDERIVED
    signingKey: ${SECRETS.signingKey}
    keyScope: ${scopeDate}/eu-central-1/s3/aws4_request
  from-env:
    accessKeyId: AKIDCHECKENV
    secretAccessKey: \${CHECK_E2E_SECRET}
proxies:
  - path: /vod/
    upstream:
      bucket: my-private-vod
      region: eu-central-1
    credentials: reader
  - path: /derived/
    upstream:
      bucket: derived-bucket
      region: eu-central-1
      keyPrefix: media/
    credentials: derived
    signing:
      mode: query
  - path: /legacy/
    upstream:
      bucket: legacy-bucket
      endpoint: http://minio.internal:9000
    credentials:
      accessKeyId: AKIDCHECKINLINE
      secretAccessKey: ${SECRETS.inline}
    methods: [get, head, put]
  - path: /env/
    upstream:
      bucket: env-bucket
      region: us-west-2
      endpoint: http://127.0.0.1:9000
    credentials: from-env
`;
}

const ENV = { CHECK_E2E_SECRET: SECRETS.env };

function assertNoSecret(label: string, ...texts: string[]): void {
  for (const text of texts) {
    for (const [name, secret] of Object.entries(SECRETS)) {
      assert.ok(!text.includes(secret), `${label}: the ${name} secret appears in the output`);
      assert.ok(!text.includes(secret.slice(0, 16)), `${label}: part of the ${name} secret appears in the output`);
    }
  }
}

test('check: a valid config prints the effective config, secrets masked, exit 0', (t) => {
  const file = tempFile(t, 'valid.yaml', validConfig(stamp(new Date())));
  const r = cli(['check', file], ENV);
  assert.equal(r.status, 0, r.stderr);
  assertNoSecret('valid', r.stdout, r.stderr);
  assert.ok(r.stdout.startsWith(`# ${file}: valid\n`), r.stdout.slice(0, 200));
  assert.doesNotMatch(r.stdout, /# warning/, 'no warning for a key scoped to today');

  type Block = { path: string; upstream: Record<string, unknown>; signing: Record<string, unknown>; credentials: unknown; pool: Record<string, unknown>; methods: string[] };
  const eff = parse(r.stdout) as { server: Record<string, unknown>; credentials: Record<string, Record<string, unknown>>; proxies: Block[] };
  assert.equal(eff.server.port, 9999);
  assert.equal(eff.server.host, '0.0.0.0', 'default filled in');
  const [vod, derived, legacy, env] = eff.proxies;
  assert.ok(vod && derived && legacy && env, JSON.stringify(eff.proxies));

  // Derived fields.
  assert.equal(vod.upstream.endpoint, 'https://s3.eu-central-1.amazonaws.com');
  assert.equal(vod.upstream.addressing, 'virtual');
  assert.equal(vod.upstream.host, 'my-private-vod.s3.eu-central-1.amazonaws.com');
  assert.equal(vod.signing.version, 'v4');
  assert.equal(vod.signing.mode, 'header');
  assert.equal(vod.signing.payload, 'unsigned');
  assert.equal(vod.signing.service, 's3');
  assert.equal(vod.credentials, 'reader');
  assert.deepEqual(vod.methods, ['GET', 'HEAD']);
  assert.equal(typeof vod.pool.connections, 'number');
  assert.equal(derived.signing.mode, 'query');
  assert.equal(derived.upstream.keyPrefix, 'media/');
  assert.equal(legacy.signing.version, 'v2', 'no region → SigV2');
  assert.equal(legacy.upstream.addressing, 'path', 'not AWS → path-style');
  assert.equal(legacy.upstream.host, 'minio.internal:9000');
  assert.deepEqual(legacy.methods, ['GET', 'HEAD', 'PUT']);
  assert.equal(env.upstream.addressing, 'path');
  assert.equal(env.signing.version, 'v4');

  // Masked, but visibly present.
  assert.equal(eff.credentials.reader?.accessKeyId, 'AKIDCHECKREADER');
  assert.match(String(eff.credentials.reader?.secretAccessKey), /^\*+$/);
  assert.match(String(eff.credentials.reader?.sessionToken), /^\*+$/);
  assert.match(String(eff.credentials.derived?.signingKey), /^\*+$/);
  assert.equal(eff.credentials.derived?.keyScope, `${stamp(new Date())}/eu-central-1/s3/aws4_request`);
  assert.match(String(eff.credentials['from-env']?.secretAccessKey), /^\*+$/);
  const inline = legacy.credentials as Record<string, unknown>;
  assert.equal(inline.accessKeyId, 'AKIDCHECKINLINE');
  assert.match(String(inline.secretAccessKey), /^\*+$/);
});

test('check: a pre-derived key scoped to another day is warned about', (t) => {
  const file = tempFile(t, 'stale.yaml', validConfig('20200101'));
  const r = cli(['check', file], ENV);
  assert.equal(r.status, 0, r.stderr);
  assertNoSecret('stale', r.stdout, r.stderr);
  const warnings = r.stdout.split('\n').filter((l) => l.startsWith('# warning:'));
  assert.equal(warnings.length, 1, r.stdout.slice(0, 600));
  // FILE:LINE:COL  path: message — the line of the block's `credentials: derived`.
  assert.ok(warnings[0]!.startsWith(`# warning: ${file}:26:18  proxies[1].credentials: `), warnings[0]);
  assert.match(warnings[0]!, /20200101/);
  assert.match(warnings[0]!, /"derived"/);
  assert.ok(parse(r.stdout), 'still valid YAML');
});

test('check: an invalid config lists every problem as FILE:LINE:COL  path: message, exit 1', (t) => {
  const text = [
    'server:', //                                        1
    '  port: 70000', //                                  2
    '  hots: 0.0.0.0', //                                3
    'credentials:', //                                   4
    '  reader:', //                                      5
    '    accessKeyId: AKIDX', //                         6
    '    secretAccessKey: check-secret-READER-0001', //  7
    'proxies:', //                                       8
    '  - path: /vod/', //                                9
    '    upstream:', //                                  10
    '      region: eu-central-1', //                     11
    '    credentials: reader', //                        12
    '  - path: nope', //                                 13
    '    upstream:', //                                  14
    '      bucket: ok-bucket', //                        15
    '      region: eu-central-1', //                     16
    '    credentials: reader', //                        17
    '    methods: [GET, FETCH]', //                      18
    '',
  ].join('\n');
  const file = tempFile(t, 'invalid.yaml', text);
  const r = cli(['check', file]);
  assert.equal(r.status, 1, r.stdout);
  assert.equal(r.stdout, '', 'nothing on stdout');
  assert.match(r.stderr, /OS_ERR_CONFIG_INVALID/);
  assertNoSecret('invalid', r.stderr);
  const problems = r.stderr.split('\n').filter((l) => l.startsWith(`  ${file}:`));
  // [line, column of the offending value (undefined: any), path, message]
  const expected: Array<[number, number | undefined, string, RegExp]> = [
    [2, 9, 'server.port', /65535/],
    [3, undefined, 'server.hots', /unknown key "hots"/],
    [10, undefined, 'proxies[0].upstream.bucket', /required/],
    [13, 11, 'proxies[1].path', /start and end with '\/'/],
    [18, 20, 'proxies[1].methods[1]', /GET/],
  ];
  assert.equal(problems.length, expected.length, r.stderr);
  expected.forEach(([line, col, path, message], i) => {
    const m = new RegExp(`^  ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)  (\\S+): (.+)$`).exec(problems[i]!);
    assert.ok(m, `not FILE:LINE:COL  path: message: ${problems[i]}`);
    assert.equal(Number(m[1]), line, problems[i]);
    if (col === undefined) assert.ok(Number(m[2]) >= 1, problems[i]);
    else assert.equal(Number(m[2]), col, problems[i]);
    assert.equal(m[3], path, problems[i]);
    assert.match(m[4]!, message, problems[i]);
  });
});

test('check: a missing file exits 1 with OS_ERR_CONFIG_UNREADABLE', () => {
  const file = join(tmpdir(), `os-check-missing-${process.pid}-${Date.now()}.yaml`);
  const r = cli(['check', file]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /OS_ERR_CONFIG_UNREADABLE/);
  assert.ok(r.stderr.includes(file), r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('check: field problems, cross-field problems and warnings all come out in one run', (t) => {
  const text = [
    'proxies:', //                                                1
    '  - path: /vod/', //                                         2
    '    upstream:', //                                           3
    '      bucket: my-vod', //                                    4
    '      region: eu-cental-1', //                               5
    '    credentials: { accessKeyId: AKIDX, secretAccessKey: check-secret-READER-0001 }', // 6
    '    methods: [GET, PATCH]', //                               7
    '  - path: /vod/', //                                         8
    '    upstream: { bucket: other-bucket, region: us-east-1a }', // 9
    '    credentials: { accessKeyId: AKIDX, secretAccessKey: check-secret-READER-0001 }', // 10
    '  - path: /eu/', //                                          11
    '    upstream:', //                                           12
    '      bucket: eu-bucket', //                                 13
    '      region: eu-central-1', //                              14
    '      endpoint: https://s3.us-west-2.amazonaws.com', //      15
    '    credentials: { accessKeyId: AKIDX, secretAccessKey: check-secret-READER-0001 }', // 16
    '  - path: /old/', //                                         17
    '    upstream: { bucket: old-bucket }', //                    18
    '    credentials: { accessKeyId: AKIDX, secretAccessKey: check-secret-READER-0001 }', // 19
    '    signing: { payload: streaming }', //                     20
    '',
  ].join('\n');
  const file = tempFile(t, 'all-at-once.yaml', text);
  const r = cli(['check', file]);
  assert.equal(r.status, 1, r.stdout);
  assertNoSecret('all at once', r.stdout, r.stderr);
  const lines = r.stderr.split('\n');
  const at = (prefix: string, line: number, path: string, message: RegExp): void => {
    const found = lines.find((l) => l.startsWith(`${prefix}${file}:${line}:`) && l.includes(`  ${path}: `));
    assert.ok(found, `no ${path} on line ${line}:\n${r.stderr}`);
    assert.match(found, message);
  };
  at('  ', 7, 'proxies[0].methods[1]', /S3 has no PATCH/);
  at('  ', 8, 'proxies[1].path', /duplicate prefix \/vod\//);
  at('  ', 9, 'proxies[1].upstream.region', /us-east-1a is an availability zone, not a region: write region: us-east-1/);
  at('  ', 15, 'proxies[2].upstream.endpoint', /us-west-2, but upstream\.region is eu-central-1/);
  at('  ', 18, 'proxies[3].upstream.region', /SigV2.*Set upstream\.region/);
  at('  ', 20, 'proxies[3].signing.payload', /SigV2 does not sign payloads/);
  at('  warning: ', 5, 'proxies[0].upstream.region', /eu-cental-1 .*did you mean eu-central-1/);
  assert.match(r.stderr, /: 6 problems\n/);
});

test('check: a mis-indented upstream is called an indentation problem', (t) => {
  const file = tempFile(t, 'indent.yaml', 'proxies:\n  - path: /vod/\n    upstream:\n    bucket: my-vod\n    region: eu-central-1\n    credentials: { accessKeyId: AKIDX, secretAccessKey: check-secret-READER-0001 }\n');
  const r = cli(['check', file]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+  proxies\\[0\\]\\.upstream: upstream: has nothing under it, but bucket, region stand at the block level: the indentation is probably wrong`));
  assert.doesNotMatch(r.stderr, /must be s3 or mediastore/);
});

test('check --json: one JSON document on stdout for CI — problems, warnings, the masked config', (t) => {
  const valid = tempFile(t, 'valid.yaml', validConfig('20200101'));
  const ok = cli(['check', '--json', valid], ENV);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stderr, '');
  assertNoSecret('json valid', ok.stdout);
  type Item = { path: string; line?: number; col?: number; message: string };
  const doc = JSON.parse(ok.stdout) as { file: string; valid: boolean; problems: Item[]; warnings: Item[]; missingEnv: unknown[]; config: { proxies: Array<{ upstream: { host: string } }>; credentials: Record<string, Record<string, unknown>> } };
  assert.equal(doc.file, valid);
  assert.equal(doc.valid, true);
  assert.deepEqual(doc.problems, []);
  assert.equal(doc.warnings.length, 1);
  assert.deepEqual({ ...doc.warnings[0], message: undefined }, { path: 'proxies[1].credentials', line: 26, col: 18, message: undefined });
  assert.match(doc.warnings[0]!.message, /20200101/);
  assert.equal(doc.config.proxies[0]!.upstream.host, 'my-private-vod.s3.eu-central-1.amazonaws.com');
  assert.match(String(doc.config.credentials.reader!.secretAccessKey), /^\*+$/);

  const invalid = tempFile(t, 'invalid.yaml', 'proxies:\n  - path: /vod/\n    upstream: { bucket: b-bucket, region: us-east-1a }\n    credentials: { accessKeyId: AKIDX, secretAccessKey: check-secret-READER-0001 }\n    methods: [PATCH]\n');
  const bad = cli(['check', '--json', invalid]);
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, '');
  assertNoSecret('json invalid', bad.stdout);
  const badDoc = JSON.parse(bad.stdout) as typeof doc;
  assert.equal(badDoc.valid, false);
  assert.equal(badDoc.config, null);
  assert.deepEqual(badDoc.problems.map((p) => [p.path, p.line]), [['proxies[0].upstream.region', 3], ['proxies[0].methods[0]', 5]]);

  const missing = cli(['check', '--json', join(tmpdir(), `os-check-missing-${process.pid}.yaml`)]);
  assert.equal(missing.status, 1);
  const missingDoc = JSON.parse(missing.stdout) as { valid: boolean; error: string; problems: Item[] };
  assert.equal(missingDoc.valid, false);
  assert.equal(missingDoc.error, 'OS_ERR_CONFIG_UNREADABLE');
  assert.equal(missingDoc.problems.length, 1);
});

test('check --allow-missing-env: valid once the variables are set; says which, and where, never a value', (t) => {
  const file = tempFile(t, 'env.yaml', validConfig(stamp(new Date())));
  const strict = cli(['check', file]);
  assert.equal(strict.status, 1, 'without the option an unset variable is a problem');
  assert.match(strict.stderr, /CHECK_E2E_SECRET is not set/);

  const r = cli(['check', '--allow-missing-env', file]);
  assert.equal(r.status, 0, r.stderr);
  assertNoSecret('allow-missing-env', r.stdout, r.stderr);
  const head = r.stdout.split('\n').filter((l) => l.startsWith('#'));
  assert.equal(head[0], `# ${file}: valid, once the variables below are set`);
  assert.equal(head[1], `# needs environment variable CHECK_E2E_SECRET: ${file}:14:22  credentials.from-env.secretAccessKey`);
  assert.ok(parse(r.stdout), 'the effective config is printed');

  const json = cli(['check', '--json', '--allow-missing-env', file]);
  assert.equal(json.status, 0, json.stdout);
  const doc = JSON.parse(json.stdout) as { valid: boolean; missingEnv: Array<Record<string, unknown>> };
  assert.equal(doc.valid, true);
  assert.deepEqual(doc.missingEnv, [{ name: 'CHECK_E2E_SECRET', path: 'credentials.from-env.secretAccessKey', line: 14, col: 22 }]);
  // A set variable is neither listed nor printed.
  const set = cli(['check', '--json', '--allow-missing-env', file], ENV);
  assert.deepEqual((JSON.parse(set.stdout) as { missingEnv: unknown[] }).missingEnv, []);
  assertNoSecret('allow-missing-env with the variable set', set.stdout);
});

test('cli: a bare origin-signer prints the usage and exits 2 (the demo is `serve`)', () => {
  const r = spawnSync(binPath, [], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.status, 2, `exit code (a null status: it started serving): ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^origin-signer: a command is needed\n/);
  assert.match(r.stderr, /Usage:/);
  const withConfig = cli(['--config', 'some.yaml']);
  assert.equal(withConfig.status, 2);
  assert.match(withConfig.stderr, /origin-signer serve --config some\.yaml/);
});

test('cli: --help exits 0; an unknown command or a missing argument exits 2', () => {
  const help = cli(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage:/);
  assert.match(help.stdout, /check FILE/);
  assert.match(help.stdout, /serve/);

  const unknown = cli(['frobnicate']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  assert.match(unknown.stderr, /Usage:/);

  const noFile = cli(['check']);
  assert.equal(noFile.status, 2);
  assert.match(noFile.stderr, /check needs a config file/);

  const badFlag = cli(['check', '--no-such-flag', 'x.yaml']);
  assert.equal(badFlag.status, 2, badFlag.stderr);
  assert.equal(badFlag.stderr.split('\n').length, 2, `one line: ${badFlag.stderr}`);
  assert.match(badFlag.stderr, /--no-such-flag.*origin-signer --help/);
});
