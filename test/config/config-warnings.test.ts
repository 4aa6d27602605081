// Things worth saying that do not stop start-up: each warning names its YAML path and line, and
// comes out in the same pass as the problems (so fixing the errors brings no new surprise).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfigText, loadConfigText } from '../../src/config/load.js';
import { ConfigError, formatPath } from '../../src/config/problems.js';

const NOW = { env: {}, now: () => Date.UTC(2026, 10, 23) };
const CREDS = '    credentials: { accessKeyId: AKIAEXAMPLE, secretAccessKey: example-secret }';

const warningsOf = (text: string) => checkConfigText(text, 'w.yaml', NOW).warnings.map((w) => ({ path: formatPath(w.path), line: w.line, message: w.message }));

test('a region that fits the AWS pattern but is not a known region is a warning with a suggestion', () => {
  const text = ['proxies:', '  - path: /vod/', '    upstream:', '      bucket: my-vod', '      region: eu-cental-1', CREDS, ''].join('\n');
  const loaded = loadConfigText(text, 'w.yaml', NOW);
  assert.equal(loaded.config.proxies[0]!.region, 'eu-cental-1', 'still loads: AWS may have opened a region since');
  assert.equal(loaded.warnings.length, 1);
  assert.match(loaded.warnings[0]!, /^w\.yaml:5:15 {2}proxies\[0\]\.upstream\.region: eu-cental-1 is not an AWS region origin-signer knows — did you mean eu-central-1\?/);
  assert.deepEqual(warningsOf(text).map((w) => [w.path, w.line]), [['proxies[0].upstream.region', 5]]);
});

test('regions of S3-compatible stores are their own business: no warning, no error', () => {
  for (const region of ['default', 'auto', 'garage', 'us-east-1a', 'eu-cental-1']) {
    const text = `proxies:\n  - path: /p/\n    upstream: { bucket: b-bucket, region: ${region}, endpoint: "http://ceph.internal:7480" }\n${CREDS}\n`;
    assert.deepEqual(warningsOf(text), [], region);
    assert.equal(loadConfigText(text, 'w.yaml', NOW).config.proxies[0]!.region, region);
  }
});

test('known regions of every partition pass quietly, and get their partition\'s endpoint', () => {
  for (const [region, endpoint] of [
    ['eu-central-1', 'https://s3.eu-central-1.amazonaws.com'],
    ['us-gov-west-1', 'https://s3.us-gov-west-1.amazonaws.com'],
    ['cn-north-1', 'https://s3.cn-north-1.amazonaws.com.cn'],
    ['eusc-de-east-1', 'https://s3.eusc-de-east-1.amazonaws.eu'],
  ] as const) {
    const text = `proxies:\n  - path: /p/\n    upstream: { bucket: b-bucket, region: ${region} }\n${CREDS}\n`;
    assert.deepEqual(warningsOf(text), [], region);
    assert.equal(loadConfigText(text, 'w.yaml', NOW).config.proxies[0]!.endpoint, endpoint);
  }
});

test('SigV2 asked for in a region that still takes it: a warning on signing.version, not an error', () => {
  const text = `proxies:\n  - path: /old/\n    upstream: { bucket: old-bucket, region: us-east-1 }\n${CREDS}\n    signing: { version: v2 }\n`;
  const [w, ...more] = warningsOf(text);
  assert.deepEqual(more, []);
  assert.equal(w?.path, 'proxies[0].signing.version');
  assert.equal(w?.line, 5);
  assert.match(w!.message, /buckets created before 2020-06-24.*prefer SigV4/);
  assert.equal(loadConfigText(text, 'w.yaml', NOW).config.proxies[0]!.signing.version, 'v2');
});

test('warnings come out with the problems of the same file', () => {
  const text = [
    'proxies:',
    '  - path: /vod/',
    '    upstream: { bucket: my-vod, region: eu-cental-1 }',
    CREDS,
    '  - path: /vod/',
    '    upstream: { bucket: my-vod, region: eu-central-1 }',
    CREDS,
    '',
  ].join('\n');
  assert.throws(
    () => loadConfigText(text, 'w.yaml', NOW),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.problems.length === 1 &&
      err.warnings.length === 1 &&
      err.warnings[0]!.line === 3 &&
      /\n {2}warning: w\.yaml:3:\d+ {2}proxies\[0\]\.upstream\.region: eu-cental-1/.test(err.message),
  );
});
