// README "What reaches the bucket", step 3, end to end: a path whose key is not a safe S3 key (dot segments raw or encoded,
// control characters, broken percent-encoding or UTF-8, too long — keyPrefix included), and a path
// no block serves, is refused by the proxy itself with its JSON error, and nothing at all reaches
// the origin; a block's root (no key) is S3's 404 NoSuchKey, from the proxy. Paths are sent verbatim (node:http does not normalise `..`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { raw, type Res } from '../support/origin-client.js';

const PREFIX = '/r/';
const PREFIXED = '/kp/';
const KEY_PREFIX = 'deep/prefix/'; // 12 bytes

interface Case {
  readonly path: string;
  readonly status: number;
  readonly error: string;
  /** The block named in the JSON body; undefined for no-route. */
  readonly block?: string;
}

const long = (n: number): string => 'k'.repeat(n);

const CASES: readonly Case[] = [
  { path: `${PREFIX}..`, status: 400, error: 'OS_ERR_KEY_DOT_SEGMENT', block: PREFIX },
  { path: `${PREFIX}../x`, status: 400, error: 'OS_ERR_KEY_DOT_SEGMENT', block: PREFIX },
  { path: `${PREFIX}a/../b`, status: 400, error: 'OS_ERR_KEY_DOT_SEGMENT', block: PREFIX },
  { path: `${PREFIX}a/..`, status: 400, error: 'OS_ERR_KEY_DOT_SEGMENT', block: PREFIX },
  { path: `${PREFIX}%2e%2e`, status: 400, error: 'OS_ERR_KEY_DOT_SEGMENT', block: PREFIX },
  { path: `${PREFIX}%2E%2e/x`, status: 400, error: 'OS_ERR_KEY_DOT_SEGMENT', block: PREFIX },
  { path: `${PREFIX}a/%2e%2E/b`, status: 400, error: 'OS_ERR_KEY_DOT_SEGMENT', block: PREFIX },
  { path: `${PREFIX}a%2F..%2Fb`, status: 400, error: 'OS_ERR_KEY_DOT_SEGMENT', block: PREFIX },
  { path: `${PREFIX}a%2f%2e%2e%2fb`, status: 400, error: 'OS_ERR_KEY_DOT_SEGMENT', block: PREFIX },
  { path: `${PREFIX}.`, status: 400, error: 'OS_ERR_KEY_DOT_SEGMENT', block: PREFIX },
  { path: `${PREFIX}a/./b`, status: 400, error: 'OS_ERR_KEY_DOT_SEGMENT', block: PREFIX },
  { path: `${PREFIX}a/%2e/b`, status: 400, error: 'OS_ERR_KEY_DOT_SEGMENT', block: PREFIX },
  { path: `${PREFIX}%00`, status: 400, error: 'OS_ERR_KEY_CONTROL_CHAR', block: PREFIX },
  { path: `${PREFIX}a%0Ab`, status: 400, error: 'OS_ERR_KEY_CONTROL_CHAR', block: PREFIX },
  { path: `${PREFIX}a%0d%0aSet-Cookie:%20x`, status: 400, error: 'OS_ERR_KEY_CONTROL_CHAR', block: PREFIX },
  { path: `${PREFIX}a%7Fb`, status: 400, error: 'OS_ERR_KEY_CONTROL_CHAR', block: PREFIX },
  { path: `${PREFIX}%zz`, status: 400, error: 'OS_ERR_KEY_BAD_ENCODING', block: PREFIX },
  { path: `${PREFIX}%`, status: 400, error: 'OS_ERR_KEY_BAD_ENCODING', block: PREFIX },
  { path: `${PREFIX}a%2`, status: 400, error: 'OS_ERR_KEY_BAD_ENCODING', block: PREFIX },
  { path: `${PREFIX}%C3`, status: 400, error: 'OS_ERR_KEY_BAD_UTF8', block: PREFIX },
  { path: `${PREFIX}%C0%AF`, status: 400, error: 'OS_ERR_KEY_BAD_UTF8', block: PREFIX },
  { path: `${PREFIX}%ED%A0%80`, status: 400, error: 'OS_ERR_KEY_BAD_UTF8', block: PREFIX }, // encoded surrogate
  { path: `${PREFIX}${long(1025)}`, status: 400, error: 'OS_ERR_KEY_TOO_LONG', block: PREFIX },
  // 1024 - 12 + 1 = 1013 bytes after the block prefix: 1025 with keyPrefix counted.
  { path: `${PREFIXED}${long(1024 - KEY_PREFIX.length + 1)}`, status: 400, error: 'OS_ERR_KEY_TOO_LONG', block: PREFIXED },
  // 342 × 'é' (2 bytes, 6 encoded chars) = 684 bytes, + 341 'k' = 1025 bytes.
  { path: `${PREFIX}${'%C3%A9'.repeat(342)}${long(341)}`, status: 400, error: 'OS_ERR_KEY_TOO_LONG', block: PREFIX },
  // A forwarded query parameter that cannot be decoded is refused too (step 4).
  { path: `${PREFIX}ok.txt?response-content-type=%zz`, status: 400, error: 'OS_ERR_BAD_REQUEST', block: PREFIX },
  { path: `${PREFIX}ok.txt?response-content-disposition=%C3`, status: 400, error: 'OS_ERR_BAD_REQUEST', block: PREFIX },
  { path: '/nowhere/x.txt', status: 404, error: 'OS_ERR_NO_ROUTE' },
  { path: '/r', status: 404, error: 'OS_ERR_NO_ROUTE' },
  { path: '/%72/x.txt', status: 404, error: 'OS_ERR_NO_ROUTE' }, // an encoded prefix is another path
];

test('refused keys are answered by the proxy and never reach the origin', async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const valid1024 = long(1024);
  const validPrefixed = long(1024 - KEY_PREFIX.length);
  await origin.putObject(BUCKET, valid1024, 'exactly 1024 bytes of key\n');
  await origin.putObject(BUCKET, KEY_PREFIX + validPrefixed, 'exactly 1024 bytes with keyPrefix\n');
  await origin.putObject(BUCKET, '..dots/x..y./...', 'dots\n');
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [
      blockFor(origin.port, { path: PREFIX, bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS }),
      blockFor(origin.port, { path: PREFIXED, bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS, keyPrefix: KEY_PREFIX, addressing: 'path' }),
    ],
  });

  const refused = (c: Case, method: string, res: Res): void => {
    const label = `${method} ${c.path.slice(0, 80)}`;
    assert.equal(res.status, c.status, `${label}: ${res.text.slice(0, 300)}`);
    assert.match(String(res.headers['content-type']), /^application\/json/, label);
    assert.equal(res.headers['cache-control'], 'no-store', label);
    const id = res.headers['x-request-id'];
    assert.ok(typeof id === 'string' && id.length > 0, `${label}: x-request-id`);
    if (method === 'HEAD') {
      assert.equal(res.body.length, 0, `${label}: HEAD has no body`);
      return;
    }
    const body = JSON.parse(res.text) as Record<string, unknown>;
    assert.equal(body.error, c.error, label);
    assert.equal(typeof body.message, 'string', label);
    assert.equal(body.requestId, id, `${label}: requestId is the x-request-id`);
    if (c.block === undefined) assert.equal('block' in body, false, `${label}: no block for no-route`);
    else assert.equal(body.block, c.block, `${label}: names the block`);
  };

  for (const c of CASES) {
    for (const method of ['GET', 'HEAD']) {
      const before = origin.requests.length;
      const res = await raw(proxy.port, { method, path: c.path });
      refused(c, method, res);
      assert.equal(origin.requests.length, before, `${method} ${c.path.slice(0, 80)}: nothing reached the origin (${origin.requests.slice(before).map((r) => r.url).join(', ')})`);
    }
  }

  // A block's root names no object (issue #20): S3's own 404 NoSuchKey, from the proxy.
  for (const path of [PREFIX, `${PREFIX}?response-content-type=text%2Fplain`, PREFIXED]) {
    for (const method of ['GET', 'HEAD']) {
      const before = origin.requests.length;
      const res = await raw(proxy.port, { method, path });
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(res.headers['content-type'], 'application/xml');
      if (method === 'GET') assert.match(res.text, /<Code>NoSuchKey<\/Code>.*<RequestId>/s);
      assert.equal(origin.requests.length, before, `${method} ${path}: nothing reached the origin`);
    }
  }

  // The limits are exact: 1024 bytes, with and without keyPrefix, are served.
  const before = origin.requests.length;
  const at1024 = await raw(proxy.port, { path: `${PREFIX}${valid1024}` });
  assert.equal(at1024.status, 200, at1024.text.slice(0, 300));
  assert.equal(at1024.text, 'exactly 1024 bytes of key\n');
  const prefixed = await raw(proxy.port, { path: `${PREFIXED}${validPrefixed}` });
  assert.equal(prefixed.status, 200, prefixed.text.slice(0, 300));
  assert.equal(prefixed.text, 'exactly 1024 bytes with keyPrefix\n');
  // Dots that are not whole segments are ordinary key characters.
  const dots = await raw(proxy.port, { path: `${PREFIX}..dots/x..y./...` });
  assert.equal(dots.status, 200, dots.text.slice(0, 300));
  assert.equal(dots.text, 'dots\n');
  assert.equal(origin.requests.length, before + 3);
  assert.equal(origin.requests.at(-2)?.url, `/${BUCKET}/${KEY_PREFIX}${validPrefixed}`, 'keyPrefix is prepended on the wire');
});
