// An endpoint given as an IP address: virtual-hosted addressing cannot put a bucket in it (use path
// addressing), but an access point's host comes from its ARN, so dialling an IP is fine there —
// `check` used to tell it to use path addressing, which it then refused for access points — and a
// directory bucket has no path-style form, so it needs a host name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfigText } from '../../src/config/load.js';
import { formatPath } from '../../src/config/problems.js';

const NOW = { env: {}, now: () => Date.UTC(2026, 11, 7) };
const KEYS = 'credentials: { accessKeyId: AKIAEXAMPLE, secretAccessKey: example-secret }';
const problems = (upstream: string): Array<[string, string]> =>
  checkConfigText(['proxies:', '  - path: /b/', `    upstream: ${upstream}`, `    ${KEYS}`, ''].join('\n'), 'ip.yaml', NOW).problems.map((f) => [formatPath(f.path), f.message]);

test('a bucket behind an IP endpoint: path addressing, not virtual-hosted', () => {
  const virtual = problems('{ bucket: media, region: us-east-1, endpoint: "http://10.0.0.5:9000", addressing: virtual }');
  assert.deepEqual(virtual.map(([p]) => p), ['proxies[0].upstream.addressing']);
  assert.match(virtual[0]![1], /use addressing: path/);
  assert.deepEqual(problems('{ bucket: media, region: us-east-1, endpoint: "http://10.0.0.5:9000" }'), []);
});

test('an access point behind an IP endpoint is dialled there and signed for its own host: no problem', () => {
  assert.deepEqual(problems('{ accessPoint: "arn:aws:s3:us-east-1:123456789012:accesspoint/my-ap", endpoint: "http://10.0.0.5:9000" }'), []);
  assert.deepEqual(problems('{ accessPoint: "arn:aws:s3:us-east-1:123456789012:accesspoint/my-ap", endpoint: "http://[::1]:9000" }'), []);
});

test('a directory bucket behind an IP endpoint: a host name is needed, path addressing is no way out', () => {
  const p = problems('{ bucket: media--use1-az4--x-s3, region: us-east-1, endpoint: "http://10.0.0.5:9000" }');
  assert.deepEqual(p.map(([path]) => path), ['proxies[0].upstream.endpoint']);
  assert.doesNotMatch(p[0]![1], /addressing: path/);
});
