// SigV4A in the config (README "SigV4A: multi-region access points", "proxies[]"): what a v4a block
// resolves to — a multi-region access point's host, the region set it signs for — and what `check`
// refuses: v4a without a region set, a region set without v4a, and v4a with what only SigV4's HMAC
// can do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/problems.js';
import { effectiveConfig } from '../../src/config/effective.js';

const MRAP = 'arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap';
const KEYS = '{ accessKeyId: AKIDV4ACONFIG, secretAccessKey: v4a-config-secret }';

const yaml = (upstream: string, more = '', credentials = KEYS): string =>
  `proxies:\n  - path: /p/\n    upstream: ${upstream}\n    credentials: ${credentials}\n${more}`;
const load = (upstream: string, more = '', credentials = KEYS) => loadConfigText(yaml(upstream, more, credentials), 't.yaml', { env: {}, now: () => Date.UTC(2026, 10, 23) }).config.proxies[0]!;

function problems(upstream: string, more = '', credentials = KEYS): Array<[string, string]> {
  try {
    load(upstream, more, credentials);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems.map((p) => [p.path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').slice(1), p.message]);
  }
  return [];
}

function expectProblem(found: Array<[string, string]>, path: string, message: RegExp): void {
  assert.ok(found.some(([p, m]) => p === path && message.test(m)), `expected ${path} ${message}, got ${JSON.stringify(found, null, 1)}`);
}

const V4A = '    signing: { version: v4a }\n';

test('a multi-region access point with SigV4A: its global host, virtual-hosted, region "*"', () => {
  const b = load(`{ accessPoint: "${MRAP}", region: "*" }`, V4A);
  assert.equal(b.signing.version, 'v4a');
  assert.equal(b.signing.regionSet, '*');
  assert.equal(b.endpoint, 'https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com');
  assert.equal(b.addressing, 'virtual');
  assert.equal(b.host, 'mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com');
  assert.equal(b.origin, 'https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com');
  assert.equal(b.basePath, '/');
  assert.equal(b.accessPoint, MRAP);
  const shown = effectiveConfig(loadConfigText(yaml(`{ accessPoint: "${MRAP}", region: "*" }`, V4A), 't.yaml', { env: {} }).config) as { proxies: Array<{ upstream: Record<string, unknown>; signing: Record<string, unknown> }> };
  assert.equal(shown.proxies[0]!.upstream['accessPoint'], MRAP);
  assert.equal(shown.proxies[0]!.signing['regionSet'], '*');
  assert.equal(shown.proxies[0]!.signing['version'], 'v4a');
});

test('China partition: the access point host is under amazonaws.com.cn', () => {
  const b = load(`{ accessPoint: "arn:aws-cn:s3::123456789012:accesspoint/abcdefghij.mrap", region: "*" }`, V4A);
  assert.equal(b.host, 'abcdefghij.mrap.accesspoint.s3-global.amazonaws.com.cn');
});

test('a region set: regionSet joined with commas; a single region or "*" as region; an endpoint is dialled, the access point host signed', () => {
  const set = load(`{ accessPoint: "${MRAP}", regionSet: [us-east-1, eu-west-1] }`, '    signing: { version: v4a, mode: query }\n');
  assert.equal(set.signing.regionSet, 'us-east-1,eu-west-1');
  assert.equal(set.signing.mode, 'query');
  const one = load('{ bucket: my-vod, region: eu-west-1 }', V4A);
  assert.equal(one.signing.version, 'v4a');
  assert.equal(one.signing.regionSet, 'eu-west-1');
  assert.equal(one.endpoint, 'https://s3.eu-west-1.amazonaws.com', "one region: that region's endpoint");
  assert.equal(one.host, 'my-vod.s3.eu-west-1.amazonaws.com');
  const local = load(`{ accessPoint: "${MRAP}", region: "*", endpoint: "http://localhost:9000" }`, V4A);
  assert.equal(local.origin, 'http://localhost:9000');
  assert.equal(local.host, 'mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com');
  const store = load('{ bucket: my-vod, region: "*", endpoint: "http://localhost:9000" }', V4A);
  assert.equal(store.signing.regionSet, '*');
  assert.equal(store.basePath, '/my-vod/', 'a store other than AWS: path-style, as for SigV4');
  const regional = load('{ accessPoint: "arn:aws:s3:us-west-2:123456789012:accesspoint/media-ap" }', V4A);
  assert.equal(regional.signing.regionSet, 'us-west-2', "a regional access point's region is its set");
  assert.equal(load('{ bucket: my-vod, region: eu-west-1 }').signing.regionSet, undefined, 'v4 has no region set');
});

test('check refuses SigV4A without a region set, and a region set or a multi-region access point without SigV4A', () => {
  expectProblem(problems(`{ accessPoint: "${MRAP}" }`, V4A), 'proxies[0].upstream.region', /SigV4A needs a region set: upstream.region: "\*" .* or upstream.regionSet/);
  expectProblem(problems('{ bucket: my-vod, endpoint: "http://localhost:9000" }', V4A), 'proxies[0].upstream.region', /SigV4A needs a region set/);
  expectProblem(problems('{ bucket: my-vod, region: "*", endpoint: "http://localhost:9000" }'), 'proxies[0].upstream.region', /signed for with SigV4A only: write signing.version: v4a/);
  expectProblem(problems('{ bucket: my-vod, region: "*", endpoint: "http://localhost:9000" }', '    signing: { version: v4 }\n'), 'proxies[0].upstream.region', /signed for with SigV4A only: write signing.version: v4a/);
  expectProblem(problems('{ bucket: my-vod, regionSet: [us-east-1, eu-west-1], endpoint: "http://localhost:9000" }', '    signing: { version: v2 }\n'), 'proxies[0].upstream.regionSet', /SigV4A only.*one region for SigV2/);
  const noV4a = problems(`{ accessPoint: "${MRAP}", region: "*" }`);
  expectProblem(noV4a, 'proxies[0].upstream.accessPoint', /multi-region access point is signed with SigV4A: set signing.version: v4a/);
  assert.equal(noV4a.length, 1, JSON.stringify(noV4a));
});

test('SigV4A signs aws-chunked uploads (STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD): payload: streaming passes check', () => {
  assert.deepEqual(problems(`{ accessPoint: "${MRAP}", region: "*" }`, '    signing: { version: v4a, payload: streaming }\n'), []);
  expectProblem(problems(`{ accessPoint: "${MRAP}", region: "*" }`, '    signing: { version: v4a, mode: query, payload: streaming }\n'), 'proxies[0].signing.payload', /needs mode: header/);
});

test('check refuses SigV4A with what only SigV4 or SigV2 can do, and impossible sets', () => {
  expectProblem(
    problems(`{ accessPoint: "${MRAP}", region: "*" }`, V4A, '{ accessKeyId: AKIDV4ACONFIG, signingKey: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", keyScope: 20261123/us-east-1/s3/aws4_request }'),
    'proxies[0].credentials',
    /pre-derived signingKey signs SigV4 only; SigV4A derives its ECDSA key from secretAccessKey/,
  );
  expectProblem(problems('{ type: mediastore, endpoint: "https://abc.data.mediastore.us-east-1.amazonaws.com", region: us-east-1 }', V4A), 'proxies[0].signing.version', /MediaStore accepts SigV4 only/);
  expectProblem(problems(`{ accessPoint: "${MRAP}", region: "*", addressing: path }`, V4A), 'proxies[0].upstream.addressing', /addressed by its host/);
  expectProblem(problems(`{ accessPoint: "${MRAP}", region: "*", regionSet: [us-east-1] }`, V4A), 'proxies[0].upstream.regionSet', /give the region set once/);
  expectProblem(problems(`{ accessPoint: "${MRAP}", regionSet: ["*", us-east-1] }`, V4A), 'proxies[0].upstream.regionSet', /stands alone/);
  expectProblem(problems(`{ accessPoint: "${MRAP}", regionSet: [us-east-1, us-east-1] }`, V4A), 'proxies[0].upstream.regionSet', /listed twice/);
  expectProblem(problems(`{ accessPoint: "${MRAP}", regionSet: [us-east-1a] }`, V4A), 'proxies[0].upstream.regionSet[0]', /availability zone, not a region/);
  expectProblem(problems('{ bucket: my-vod, regionSet: [us-east-1, eu-west-1] }', V4A), 'proxies[0].upstream.endpoint', /a region set names no endpoint/);
  expectProblem(problems('{ bucket: my-vod, regionSet: [us-east-1, eu-west-1], endpoint: "https://s3.us-west-2.amazonaws.com" }', V4A), 'proxies[0].upstream.endpoint', /is in us-west-2, but upstream.regionSet \(us-east-1, eu-west-1\) does not include it/);
  assert.deepEqual(problems('{ bucket: my-vod, regionSet: [us-east-1, us-west-2], endpoint: "https://s3.us-west-2.amazonaws.com" }', V4A), []);
  expectProblem(problems('{ region: "*", endpoint: "http://localhost:9000" }', V4A), 'proxies[0].upstream.bucket', /required/);
  expectProblem(problems('{ bucket: my-vod, region: "eu central" }'), 'proxies[0].upstream.region', /region must look like eu-central-1/);
});
