// listObjects: on an S3 block it is a listing of the block's root; where it cannot be served (a
// MediaStore block, redirect mode, a block without GET) it is an error at its own line, and a block
// path no S3 client can name as a bucket (more than one segment) is a warning.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfigText, loadConfigText } from '../../src/config/load.js';
import { formatPath } from '../../src/config/problems.js';

const NOW = { env: {}, now: () => Date.UTC(2026, 11, 7) };

/** A config of one block, its fields one per line. */
const config = (block: string[]): string => ['proxies:', ...block.map((l, i) => `${i === 0 ? '  - ' : '    '}${l}`), ''].join('\n');

const findings = (text: string) => {
  const r = checkConfigText(text, 'l.yaml', NOW);
  const show = (f: { path: readonly (string | number)[]; line?: number | undefined; message: string }) => [formatPath(f.path), f.line, f.message] as const;
  return { problems: r.problems.map(show), warnings: r.warnings.map(show) };
};

const S3 = ['upstream: { bucket: my-bucket, region: eu-west-1 }', 'credentials: { accessKeyId: AKIAEXAMPLE, secretAccessKey: example-secret }'];

test('an S3 block with one path segment lists, and check finds nothing', () => {
  const text = config(['path: /live/', ...S3, 'listObjects: true']);
  assert.deepEqual(findings(text), { problems: [], warnings: [] });
  assert.equal(loadConfigText(text, 'l.yaml', NOW).config.proxies[0]!.listObjects, true);
  assert.equal(loadConfigText(config(['path: /live/', ...S3]), 'l.yaml', NOW).config.proxies[0]!.listObjects, false, 'off by default');
});

test('where a listing cannot be served: an error at listObjects; a nested path: a warning', () => {
  const ms = findings(config(['path: /ms/', 'upstream: { type: mediastore, endpoint: "https://abc.data.mediastore.eu-west-1.amazonaws.com", region: eu-west-1 }', S3[1]!, 'listObjects: true']));
  assert.deepEqual(ms.problems.map(([p, line]) => [p, line]), [['proxies[0].listObjects', 5]]);
  assert.match(ms.problems[0]![2], /MediaStore block lists a folder/);
  const redirect = findings(config(['path: /r/', ...S3, 'signing: { mode: redirect }', 'listObjects: true']));
  assert.ok(redirect.problems.some(([p, , m]) => p === 'proxies[0].listObjects' && /redirect/.test(m)), JSON.stringify(redirect));
  const noGet = findings(config(['path: /w/', ...S3, 'methods: [PUT]', 'listObjects: true']));
  assert.ok(noGet.problems.some(([p, , m]) => p === 'proxies[0].listObjects' && /add GET/.test(m)), JSON.stringify(noGet));
  const nested = findings(config(['path: /vod/live/', ...S3, 'listObjects: true']));
  assert.deepEqual(nested.problems, []);
  assert.match(nested.warnings[0]![2], /one path segment; \/vod\/live\/ can be listed only by a hand-made request/);
});
