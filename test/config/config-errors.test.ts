// Config mistakes: each fixture holds one (many-problems.yaml several), and the error must name the
// YAML path and the line it stands on, report every problem at once, and never echo a secret.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfigFile } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/problems.js';
import { fixture } from '../support/paths.js';

/** file → [path, line, part of the message] for every problem expected, in order. */
const CASES: Record<string, Array<[string, number, RegExp]>> = {
  'unknown-key.yaml': [['server.hots', 3, /unknown key "hots"/]],
  'missing-bucket.yaml': [['proxies[0].upstream.bucket', 3, /required/]],
  'duplicate-prefix.yaml': [['proxies[1].path', 7, /duplicate prefix \/vod\/ \(also proxies\[0\]\.path\)/]],
  'wrong-type.yaml': [
    ['server.port', 2, /number/],
    ['proxies[0].signing.expires', 8, /number/],
  ],
  'unknown-credentials.yaml': [['proxies[0].credentials', 6, /no credential set named "writer".*known: reader/]],
  'bad-path.yaml': [['proxies[0].path', 2, /start and end with '\/'/]],
  'bad-method.yaml': [['proxies[0].methods[1]', 5, /GET/]],
  'missing-env.yaml': [['credentials.reader.secretAccessKey', 4, /ORIGIN_SIGNER_TEST_UNSET_SECRET is not set/]],
  'v4-without-region.yaml': [['proxies[0].upstream.region', 3, /SigV4 needs a region/]],
  'bad-endpoint.yaml': [['proxies[0].upstream.endpoint', 6, /http:\/\/ or https:\/\//]],
  'endpoint-not-a-url.yaml': [
    ['proxies[0].upstream.endpoint', 8, /http:\/\/ or https:\/\//],
    ['proxies[1].access.signedUrls.baseUrl', 16, /URL/i],
  ],
  'yaml-syntax.yaml': [['(top level)', 4, /YAML: Flow map/]],
  'duplicate-key.yaml': [['(top level)', 3, /YAML.*unique/i]],
  'no-proxies.yaml': [['proxies', 1, /required/]],
  'keyscope-mismatch.yaml': [['proxies[0].credentials', 9, /keyScope 20261123\/us-west-2\/s3\/aws4_request is for us-west-2\/s3, but this block signs for eu-central-1\/s3/]],
  // Regions: an availability zone, or a name no AWS partition has, cannot be a region.
  'region-availability-zone.yaml': [['proxies[0].upstream.region', 5, /us-east-1a is an availability zone, not a region: write region: us-east-1/]],
  'region-not-aws.yaml': [
    ['proxies[0].upstream.region', 3, /europe cannot be an AWS region/],
    ['proxies[1].upstream.region', 6, /use1-az1 is an availability zone ID/],
  ],
  'endpoint-region-mismatch.yaml': [
    ['proxies[0].upstream.endpoint', 6, /s3\.us-west-2\.amazonaws\.com is in us-west-2, but upstream\.region is eu-central-1.*drop endpoint/],
    ['proxies[1].upstream.endpoint', 12, /mediastore\.us-west-2\.amazonaws\.com is in us-west-2, but upstream\.region is eu-central-1/],
  ],
  'patch-method.yaml': [['proxies[0].methods[1]', 5, /S3 has no PATCH.*GET, HEAD, PUT, POST, DELETE or OPTIONS/]],
  // No region against AWS signs SigV2, which no new bucket or region takes.
  'sigv2-on-aws.yaml': [
    ['proxies[0].upstream.region', 3, /no region, so this block would sign with SigV2.*Set upstream\.region.*signing\.version: v2/],
    ['proxies[1].signing.version', 9, /S3 in eu-central-1 accepts SigV4 only/],
    ['proxies[2].upstream.region', 11, /SigV2.*\(the endpoint's is eu-west-1\)/],
  ],
  // upstream's keys one level too far left: said as an indentation problem, not "type must be s3".
  'upstream-keys-at-block-level.yaml': [
    ['proxies[0].upstream', 3, /^upstream: has nothing under it, but bucket, region stand at the block level: the indentation is probably wrong/],
    ['proxies[0].bucket', 4, /unknown key "bucket" — it belongs under upstream: \(the indentation is probably wrong\)/],
    ['proxies[0].region', 5, /unknown key "region" — it belongs under upstream:/],
    ['proxies[1].upstream', 7, /^upstream is missing, but bucket, region stand at the block level: the indentation is probably wrong/],
    ['proxies[1].bucket', 8, /belongs under upstream:/],
    ['proxies[1].region', 9, /belongs under upstream:/],
    ['proxies[2].upstream.region', 12, /no region/],
    ['proxies[2].region', 14, /unknown key "region" — it belongs under upstream:/],
  ],
  // Field and cross-field problems in one pass: the duplicate prefix, the payload rules and the
  // unknown set show up alongside the schema's complaints, not after they are fixed.
  'field-and-cross-field.yaml': [
    ['server.port', 2, /65535/],
    ['proxies[0].methods[1]', 7, /FETCH is not a method S3 serves/],
    ['proxies[1].path', 8, /duplicate prefix \/vod\//],
    ['proxies[1].signing.payload', 11, /SigV2 does not sign payloads/],
    ['proxies[2].upstream.bucket', 13, /bucket name/],
    ['proxies[2].credentials', 14, /no credential set named "writer"/],
    ['proxies[2].signing.payload', 15, /payload: sha256 needs mode: header/],
  ],
  'many-problems.yaml': [
    ['server.port', 2, /65535/],
    ['server.workers', 3, /"auto" or a number/],
    ['log.level', 5, /info/],
    ['proxies[0].upstream.bucket', 8, /bucket name/],
    ['proxies[0].credentials.secretAccessKey', 9, /required/],
    ['proxies[1].upstream.type', 11, /s3 or mediastore|mediastore/],
    ['proxies[1].signing.mode', 13, /header/],
  ],
};

for (const [file, expected] of Object.entries(CASES)) {
  test(`config error: ${file}`, () => {
    const path = fixture(`config/${file}`);
    let caught: unknown;
    try {
      loadConfigFile(path, { env: {}, now: () => Date.UTC(2026, 10, 23) });
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
    assert.equal(caught.code, 'OS_ERR_CONFIG_INVALID');
    const got = caught.problems.map((p) => ({ path: p.path.length ? formatPathForTest(p.path) : '(top level)', line: p.line, message: p.message }));
    assert.equal(got.length, expected.length, `problems: ${JSON.stringify(got, null, 1)}`);
    expected.forEach(([wantPath, wantLine, wantMessage], i) => {
      const p = got[i]!;
      assert.equal(p.path, wantPath, JSON.stringify(got));
      assert.equal(p.line, wantLine, `${wantPath} line`);
      assert.match(p.message, wantMessage);
      // The rendered message carries file:line and the path, for a human reading the terminal.
      assert.ok(caught.message.includes(`${path}:${wantLine}:`), caught.message);
    });
    assert.doesNotMatch(caught.message, /example-secret/);
  });
}

function formatPathForTest(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
