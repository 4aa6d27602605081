// An access point reached through upstream.endpoint in redirect mode: viewers are sent to the
// access point's own host (the one the URL is signed for), not to the endpoint, which may be a
// private link they cannot reach — check says so, as a warning at signing.mode.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfigText } from '../../src/config/load.js';
import { formatPath } from '../../src/config/problems.js';

const NOW = { env: {}, now: () => Date.UTC(2026, 11, 7) };
const ARN = 'arn:aws:s3:us-east-1:123456789012:accesspoint/my-ap';
const config = (upstream: string): string =>
  ['proxies:', '  - path: /ap/', `    upstream: ${upstream}`, '    credentials: { accessKeyId: AKIAEXAMPLE, secretAccessKey: example-secret }', '    signing: { mode: redirect, expires: 60 }', ''].join('\n');

test('redirect mode through an endpoint: a warning naming where viewers go', () => {
  const r = checkConfigText(config(`{ accessPoint: "${ARN}", endpoint: "https://vpce.example.internal" }`), 'a.yaml', NOW);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.warnings.map((w) => [formatPath(w.path), w.line]), [['proxies[0].signing.mode', 5]]);
  assert.match(r.warnings[0]!.message, /sends viewers to https:\/\/my-ap-123456789012\.s3-accesspoint\.us-east-1\.amazonaws\.com/);
  const plain = checkConfigText(config(`{ accessPoint: "${ARN}" }`), 'a.yaml', NOW);
  assert.deepEqual([plain.problems, plain.warnings], [[], []], 'without an endpoint there is nothing to say');
});
