// What a MediaStore block cannot serve: a presigned PUT (mode query) would be refused by the
// store, whose presigned requests sign an empty body — an error at signing.mode; a POST is always
// refused by the proxy (MediaStore has no multipart uploads) — a warning at methods; query
// parameters listed to forward (query.allow, cache.key.query) are never forwarded — a warning each.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfigText } from '../../src/config/load.js';
import { formatPath } from '../../src/config/problems.js';

const NOW = { env: {}, now: () => Date.UTC(2026, 11, 7) };

const config = (block: string[]): string => ['proxies:', ...block.map((l, i) => `${i === 0 ? '  - ' : '    '}${l}`), ''].join('\n');
const MS = ['path: /ms/', 'upstream: { type: mediastore, endpoint: "https://abc.data.mediastore.eu-west-1.amazonaws.com", region: eu-west-1 }', 'credentials: { accessKeyId: AKIAEXAMPLE, secretAccessKey: example-secret }'];

const findings = (text: string) => {
  const r = checkConfigText(text, 'm.yaml', NOW);
  const show = (f: { path: readonly (string | number)[]; line?: number | undefined; message: string }) => [formatPath(f.path), f.line, f.message] as const;
  return { problems: r.problems.map(show), warnings: r.warnings.map(show) };
};

test('a presigned MediaStore block that writes: an error at signing.mode, with its line', () => {
  const f = findings(config([...MS, 'signing: { mode: query, expires: 60 }', 'methods: [GET, HEAD, PUT]']));
  assert.deepEqual(f.problems.map(([p, line]) => [p, line]), [['proxies[0].signing.mode', 5]], JSON.stringify(f));
  assert.match(f.problems[0]![2], /presigned requests sign an empty body: PUT needs mode: header/);
  // Reads presigned, writes in header mode, DELETE presigned (no body): nothing to say.
  assert.deepEqual(findings(config([...MS, 'signing: { mode: query, expires: 60 }', 'methods: [GET, HEAD, DELETE]'])), { problems: [], warnings: [] });
  assert.deepEqual(findings(config([...MS, 'methods: [GET, HEAD, PUT, DELETE]'])), { problems: [], warnings: [] });
});

test('POST on a MediaStore block: a warning at methods', () => {
  const f = findings(config([...MS, 'methods: [GET, PUT, POST]']));
  assert.deepEqual(f.problems, []);
  assert.deepEqual(f.warnings.map(([p, line]) => [p, line]), [['proxies[0].methods', 5]]);
  assert.match(f.warnings[0]![2], /no multipart uploads: every POST is refused/);
});

test('query parameters listed to forward on a MediaStore block: a warning at each list', () => {
  const f = findings(config([...MS, 'query: { allow: [versionId] }', 'cache: { ttl: 1m, key: { query: [response-content-disposition] } }']));
  assert.deepEqual(f.problems, []);
  assert.deepEqual(f.warnings.map(([p, line]) => [p, line]), [['proxies[0].query.allow', 5], ['proxies[0].cache.key.query', 6]]);
  for (const [, , m] of f.warnings) assert.match(m, /MediaStore takes no query parameters/);
});
