// README "Configuration reference": some of the yaml library's syntax messages quote the source —
// `Block scalar header includes extra characters: |SeCrEt` for an unquoted secret starting with `|`,
// an escape sequence, a tag. The problem now keeps the kind of error and its line and column only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfigText } from '../../src/config/load.js';

const withSecret = (value: string): string => `credentials:
  main:
    accessKeyId: AKIAEXAMPLE
    secretAccessKey: ${value}
proxies:
  - path: /vod/
    upstream: { bucket: bucket-one, region: eu-central-1 }
    credentials: main
`;

test('a YAML syntax problem says its kind and place, never the source text', () => {
  for (const [value, line, col, message] of [
    ['|SeCrEtBlk/K7MDENG', 4, 23, 'YAML: Block scalar header includes extra characters'],
    ['"SeCrEt\\x4K7MDENG"', 4, 29, 'YAML: Invalid escape sequence'],
  ] as const) {
    const report = checkConfigText(withSecret(value), 'c.yaml');
    assert.deepEqual(report.problems.map((p) => [p.line, p.col, p.message]), [[line, col, message]], value);
  }
});
