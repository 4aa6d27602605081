// The `cache` keys (README "Shield cache"): sizes and durations in the units people write, the
// defaults, and every problem named by its YAML path and line in one pass.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfigText, loadConfigText } from '../../src/config/load.js';
import { formatPath } from '../../src/config/problems.js';
import { effectiveConfig } from '../../src/config/effective.js';

const OPTS = { env: {}, now: () => Date.UTC(2026, 11, 6) };
const block = (cache: string) => ['proxies:', '  - path: /live/', '    upstream: { bucket: live-bkt, region: eu-central-1 }', '    credentials: { accessKeyId: AKIAEXAMPLE, secretAccessKey: example-secret }', `    cache: ${cache}`, ''].join('\n');

test('sizes and durations are read as written; the defaults fill the rest', () => {
  const text = `cache:\n  memory: { maxSize: 64MiB }\n  disk: { path: /var/cache/os, maxSize: 2GiB }\n${block('{ ttl: 2s, maxTtl: 1d, notFoundTtl: 500ms, staleWhileRevalidate: 10m, staleIfError: 1h, slice: 1MiB, key: { query: [versionId, response-content-disposition] } }')}`;
  const c = loadConfigText(text, 'c.yaml', OPTS).config;
  assert.deepEqual(c.cache, { memory: { maxBytes: 64 * 1024 ** 2, maxObjectBytes: 8 * 1024 ** 2 }, disk: { path: '/var/cache/os', maxBytes: 2 * 1024 ** 3 } });
  const b = c.proxies[0]!.cache!;
  assert.deepEqual(
    { ttl: b.ttlMs, maxTtl: b.maxTtlMs, notFound: b.notFoundTtlMs, swr: b.staleWhileRevalidateMs, sie: b.staleIfErrorMs, slice: b.sliceBytes, query: b.keyQuery },
    { ttl: 2000, maxTtl: 86_400_000, notFound: 500, swr: 600_000, sie: 3_600_000, slice: 1024 ** 2, query: ['response-content-disposition', 'versionId'] },
  );
});

test('a block with cache: and no top-level cache gets the default memory store; no cache: at all, none', () => {
  assert.deepEqual(loadConfigText(block('{}'), 'c.yaml', OPTS).config.cache, { memory: { maxBytes: 256 * 1024 ** 2, maxObjectBytes: 8 * 1024 ** 2 }, disk: undefined });
  const plain = block('{}').replace(/ {4}cache: \{\}\n/, '');
  assert.equal(loadConfigText(plain, 'c.yaml', OPTS).config.cache, undefined);
  assert.equal(loadConfigText(plain, 'c.yaml', OPTS).config.proxies[0]!.cache, undefined);
});

test('every cache problem at once, by path and line', () => {
  const text = `cache:\n  memory: { maxSize: 1MiB }\n  disk: { path: "" }\n${block('{ ttl: soon, slice: 1KiB, key: { query: [response-content-type] } }')}`;
  const got = checkConfigText(text, 'c.yaml', OPTS).problems.map((p) => `${p.line} ${formatPath(p.path)}`);
  assert.deepEqual(got.sort(), ['3 cache.disk.maxSize', '3 cache.disk.path', '8 proxies[0].cache.key.query[0]', '8 proxies[0].cache.slice', '8 proxies[0].cache.ttl'].sort());
  // memory.maxObjectSize defaults to 8 MiB: above a 1 MiB maxSize, once the stores parse.
  const sizes = checkConfigText(`cache:\n  memory: { maxSize: 1MiB }\n${block('{}')}`, 'c.yaml', OPTS).problems;
  assert.deepEqual(sizes.map((p) => `${p.line} ${formatPath(p.path)}: ${p.message}`), ['2 cache.memory.maxObjectSize: maxObjectSize (8 MiB) is larger than memory.maxSize (1 MiB)']);
});

test('a slice larger than memory.maxObjectSize is refused; a ttl above maxTtl is a warning', () => {
  const report = checkConfigText(`cache:\n  memory: { maxObjectSize: 1MiB }\n${block('{ slice: 4MiB, ttl: 2d }')}`, 'c.yaml', OPTS);
  assert.deepEqual(report.problems.map((p) => formatPath(p.path)), ['proxies[0].cache.slice']);
  assert.match(report.problems[0]!.message, /slice \(4 MiB\) is larger than cache\.memory\.maxObjectSize \(1 MiB\)/);
  assert.deepEqual(report.warnings.map((w) => formatPath(w.path)), ['proxies[0].cache.ttl']);
});

test('cache.shared: defaults in ms and bytes; check shows the url with its password masked, and never echoes a bad one', () => {
  const password = 'redis-pass+word/0123456789';
  const url = `redis://cacheuser:${encodeURIComponent(password)}@cache.internal:6380/2`;
  const c = loadConfigText(`cache:\n  shared: { url: "${url}" }\n${block('{}')}`, 'c.yaml', OPTS).config;
  assert.deepEqual(c.cache!.shared, { url, maxObjectBytes: 4 * 1024 ** 2, ttlCapMs: 3_600_000, timeoutMs: 200, lockMs: 5000, caFile: undefined });
  const shown = JSON.stringify(effectiveConfig(c));
  assert.ok(!shown.includes(password) && !shown.includes(encodeURIComponent(password)), shown);
  assert.deepEqual((effectiveConfig(c).cache as { shared: unknown }).shared, { url: 'redis://cacheuser:********@cache.internal:6380/2', maxObjectSize: 4 * 1024 ** 2, ttlCap: 3600, timeout: 0.2, lock: 5 });

  const bad = `http://:${encodeURIComponent(password)}@cache:6379`;
  const report = checkConfigText(`cache:\n  shared: { url: "${bad}", timeout: 0 }\n${block('{}')}`, 'c.yaml', OPTS);
  assert.deepEqual(report.problems.map((p) => formatPath(p.path)).sort(), ['cache.shared.timeout', 'cache.shared.url']);
  for (const p of report.problems) assert.ok(!p.message.includes(password) && !p.message.includes(encodeURIComponent(password)), p.message);
});

test('cache.shared.caFile is for rediss:// and must be a file', () => {
  const plain = checkConfigText(`cache:\n  shared: { url: "redis://cache:6379", caFile: /etc/ssl/ca.pem }\n${block('{}')}`, 'c.yaml', OPTS).problems;
  assert.deepEqual(plain.map((p) => `${formatPath(p.path)}: ${p.message}`), ['cache.shared.caFile: caFile is for TLS: the url must start with rediss://']);
  const missing = checkConfigText(`cache:\n  shared: { url: "rediss://cache:6379", caFile: /nonexistent/ca.pem }\n${block('{}')}`, 'c.yaml', OPTS).problems;
  assert.deepEqual(missing.map((p) => `${formatPath(p.path)}: ${p.message}`), ['cache.shared.caFile: cannot read the CA file /nonexistent/ca.pem (it must be a file)']);
  // A directory exists, and would fail only when the tier connects (a reload then died on it).
  const dir = checkConfigText(`cache:\n  shared: { url: "rediss://cache:6379", caFile: /tmp }\n${block('{}')}`, 'c.yaml', OPTS).problems;
  assert.deepEqual(dir.map((p) => `${formatPath(p.path)}: ${p.message}`), ['cache.shared.caFile: cannot read the CA file /tmp (it must be a file)']);
  const ok = loadConfigText(`cache:\n  shared: { url: "rediss://cache:6379", caFile: ${process.execPath} }\n${block('{}')}`, 'c.yaml', OPTS).config;
  assert.equal(ok.cache!.shared!.caFile, process.execPath);
});
