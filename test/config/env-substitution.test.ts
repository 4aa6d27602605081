// ${ENV} and ${ENV:-default} in values (README "Configuration reference", environment variables).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfigText, loadConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/problems.js';
import type { CredentialSpec } from '../../src/config/types.js';

const staticOf = (spec: CredentialSpec | undefined) => {
  if (spec?.kind !== 'static') throw new Error('expected static credentials');
  return spec.credentials;
};

const yaml = (secret: string, extra = '') => `
server:
  port: \${PORT:-8081}
credentials:
  reader:
    accessKeyId: AKIAEXAMPLE
    secretAccessKey: ${secret}
    sessionToken: \${TOKEN:-}
proxies:
  - path: /vod/
    upstream: { bucket: my-vod, region: "\${REGION:-eu-central-1}" }
    credentials: reader
${extra}`;

test('substitutes variables and defaults, and numbers from the environment become numbers', () => {
  const { config } = loadConfigText(yaml('${SECRET}'), 'x.yaml', { env: { SECRET: 's3cr3t', PORT: '9999' } });
  assert.equal(staticOf(config.credentials.reader).secretAccessKey, 's3cr3t');
  assert.equal(config.server.port, 9999);
  assert.equal(config.proxies[0]?.region, 'eu-central-1');
});

test(':- uses the default when the variable is unset or empty; an empty token means no token', () => {
  const { config } = loadConfigText(yaml('${SECRET}'), 'x.yaml', { env: { SECRET: 's', PORT: '', TOKEN: '' } });
  assert.equal(config.server.port, 8081);
  assert.equal(staticOf(config.credentials.reader).sessionToken, undefined);
});

test('$${ is a literal ${, and substituted text is never parsed as YAML', () => {
  const { config } = loadConfigText(yaml('"pre-$${NOT_A_VAR}-${SECRET}"'), 'x.yaml', { env: { SECRET: 'a: b\n- c' } });
  assert.equal(staticOf(config.credentials.reader).secretAccessKey, 'pre-${NOT_A_VAR}-a: b\n- c');
});

test('an unset variable without default is an error naming the path and variable', () => {
  assert.throws(
    () => loadConfigText(yaml('${MISSING_SECRET}'), 'x.yaml', { env: {} }),
    (err: unknown) => err instanceof ConfigError && /x\.yaml:7:\d+ {2}credentials\.reader\.secretAccessKey: environment variable MISSING_SECRET is not set/.test(err.message),
  );
});

test('a malformed reference is an error', () => {
  assert.throws(() => loadConfigText(yaml('${BROKEN'), 'x.yaml', { env: {} }), /malformed \$\{\.\.\.\} reference/);
});

test('allowMissingEnv (check --allow-missing-env): unset variables are listed with their place, the rest is still checked', () => {
  const text = yaml('${MISSING_SECRET}', '    methods: [GET, PATCH]\n');
  const report = checkConfigText(text, 'x.yaml', { env: {}, allowMissingEnv: true });
  assert.deepEqual(
    report.missingEnv.map((m) => [m.name, m.path.join('.'), m.line]),
    [['MISSING_SECRET', 'credentials.reader.secretAccessKey', 7]],
  );
  assert.deepEqual(report.problems.map((p) => p.path.join('.')), ['proxies.0.methods.1'], 'the unset variable is not a problem; PATCH still is');

  const ok = checkConfigText(yaml('${MISSING_SECRET}'), 'x.yaml', { env: {}, allowMissingEnv: true });
  assert.deepEqual(ok.problems, []);
  assert.ok(ok.config, 'valid once the variable is set');
  // Without the option the same variable is a problem, and still listed.
  const strict = checkConfigText(yaml('${MISSING_SECRET}'), 'x.yaml', { env: {} });
  assert.match(strict.problems[0]!.message, /MISSING_SECRET is not set/);
  assert.equal(strict.missingEnv.length, 1);
});

test('allowMissingEnv: a value that must be checked and comes from an unset variable says so', () => {
  const text = yaml('s3cr3t').replace('"${REGION:-eu-central-1}"', '"${REGION}"');
  const report = checkConfigText(text, 'x.yaml', { env: {}, allowMissingEnv: true });
  assert.equal(report.problems.length, 1, JSON.stringify(report.problems));
  assert.match(report.problems[0]!.message, /region must look like eu-central-1 \(the value comes from \$\{REGION\}, which is not set/);
});
