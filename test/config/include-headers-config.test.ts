// signing.includeHeaders: a header that names a source object (server-side copy, part copy,
// rename) is an error at its own entry and line — a viewer could copy any object the proxy's
// credentials read into the block; a header that is never forwarded is a warning, since naming it
// does nothing. Start-up refuses the first and goes on with the second.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfigText, loadConfigText } from '../../src/config/load.js';
import { ConfigError, formatPath } from '../../src/config/problems.js';

const NOW = { env: {}, now: () => Date.UTC(2026, 11, 7) };

const configWith = (includeHeaders: string[]): string =>
  [
    'proxies:',
    '  - path: /up/',
    '    methods: [GET, PUT]',
    '    upstream: { bucket: my-ingest, region: eu-west-1 }',
    '    credentials: { accessKeyId: AKIAEXAMPLE, secretAccessKey: example-secret }',
    '    signing:',
    '      includeHeaders:',
    ...includeHeaders.map((h) => `        - ${h}`),
    '',
  ].join('\n');

const findings = (text: string) => {
  const r = checkConfigText(text, 'h.yaml', NOW);
  const show = (f: { path: readonly (string | number)[]; line?: number | undefined; message: string }) => [formatPath(f.path), f.line, f.message] as const;
  return { problems: r.problems.map(show), warnings: r.warnings.map(show) };
};

test('includeHeaders naming a copy or rename source is an error at that entry', () => {
  const { problems, warnings } = findings(configWith(['x-amz-tagging', 'X-Amz-Copy-Source', 'x-amz-copy-source-range', 'x-amz-rename-source']));
  assert.deepEqual(warnings, []);
  assert.deepEqual(problems.map(([path, line]) => [path, line]), [
    ['proxies[0].signing.includeHeaders[1]', 9],
    ['proxies[0].signing.includeHeaders[2]', 10],
    ['proxies[0].signing.includeHeaders[3]', 11],
  ]);
  assert.match(problems[0]![2], /^x-amz-copy-source would let a viewer copy or rename another object.*outside the block.*remove it$/);
  assert.throws(() => loadConfigText(configWith(['x-amz-copy-source']), 'h.yaml', NOW), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /h\.yaml:8:\d+ {2}proxies\[0\]\.signing\.includeHeaders\[0\]: x-amz-copy-source would let a viewer copy/);
    return true;
  });
});

test('includeHeaders naming a header that is never forwarded is a warning, and the config loads', () => {
  const text = configWith(['authorization', 'x-amz-tagging', 'Host', 'connection', 'x-amz-security-token']);
  const { problems, warnings } = findings(text);
  assert.deepEqual(problems, []);
  assert.deepEqual(warnings.map(([path, line, message]) => [path, line, message.split(' ')[0]]), [
    ['proxies[0].signing.includeHeaders[0]', 8, 'authorization'],
    ['proxies[0].signing.includeHeaders[2]', 10, 'host'],
    ['proxies[0].signing.includeHeaders[3]', 11, 'connection'],
    ['proxies[0].signing.includeHeaders[4]', 12, 'x-amz-security-token'],
  ]);
  assert.match(warnings[0]![2], /is never forwarded.*remove it$/);
  assert.deepEqual(loadConfigText(text, 'h.yaml', NOW).config.proxies[0]!.signing.includeHeaders, ['authorization', 'x-amz-tagging', 'host', 'connection', 'x-amz-security-token']);
});

test('ordinary headers pass quietly', () => {
  assert.deepEqual(findings(configWith(['x-amz-tagging', 'x-amz-server-side-encryption-customer-algorithm', 'x-copy-source-note'])), { problems: [], warnings: [] });
});
