// README "What reaches the bucket", step 5: a viewer's own credentials, signing inputs, cookies, proxy credentials and a CDN's
// signed-URL parameters never reach the bucket, in any signing mode. The request the strict origin
// recorded carries only the proxy's signature; S3's response-* overrides do pass (and are signed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS, MODE_BLOCKS, TEMP_KEYS, startModesFixture } from '../support/modes-fixture.js';
import { blockFor, SIGNING_MODES, startProxyCli } from '../support/proxy-cli.js';
import { raw } from '../support/origin-client.js';

const KEY = 'private/movie.m3u8';
const BODY = '#EXTM3U\n#EXT-X-ENDLIST\n';
const STORED_TYPE = 'application/vnd.apple.mpegurl';

const VIEWER_SIG_V4 = 'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024';
const VIEWER_SIG_V2 = 'vIeWeRv2SiGnAtUrE%2BAbC%3D';
const VIEWER_DATE = '20200101T000000Z';
const VIEWER_SHA = 'deadbeef'.repeat(8);

const VIEWER_HEADERS: Record<string, string> = {
  Authorization: `AWS4-HMAC-SHA256 Credential=VIEWERKEY/20200101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${VIEWER_SIG_V4}`,
  'X-Amz-Date': VIEWER_DATE,
  'X-Amz-Security-Token': 'viewer-token',
  'X-Amz-Content-Sha256': VIEWER_SHA,
  Cookie: 'session=viewer-cookie-value; CloudFront-Signature=viewer-cf-cookie',
  'X-Amz-Acl': 'public-read-viewer-acl',
  'Proxy-Authorization': 'Basic dmlld2VyOnByb3h5cGFzcw==',
};

const VIEWER_QUERY = [
  'X-Amz-Algorithm=AWS4-HMAC-SHA256',
  `X-Amz-Signature=${VIEWER_SIG_V4}`,
  'X-Amz-Credential=VIEWERKEY%2F20200101%2Fus-east-1%2Fs3%2Faws4_request',
  `X-Amz-Date=${VIEWER_DATE}`,
  'X-Amz-Expires=86399',
  'X-Amz-SignedHeaders=host',
  'X-Amz-Security-Token=viewer-token',
  'AWSAccessKeyId=VIEWERKEY',
  `Signature=${VIEWER_SIG_V2}`,
  'Expires=1999999999',
  'Key-Pair-Id=VIEWERKPID',
  'Policy=eyJ2aWV3ZXJwb2xpY3kiOjF9',
  'cachebust=1',
].join('&');

/** Every viewer value that must appear nowhere in what the origin received. */
const NEEDLES = [
  'VIEWERKEY',
  'viewer-token',
  VIEWER_SIG_V4,
  VIEWER_SIG_V2,
  'vIeWeRv2SiGnAtUrE',
  VIEWER_DATE,
  '20200101',
  VIEWER_SHA,
  'viewer-cookie-value',
  'viewer-cf-cookie',
  'public-read-viewer-acl',
  'dmlld2VyOnByb3h5cGFzcw',
  '1999999999',
  'VIEWERKPID',
  'eyJ2aWV3ZXJwb2xpY3kiOjF9',
  'cachebust',
  'Key-Pair-Id',
  'Policy',
];

test('viewer credentials and signed-URL parameters are never forwarded, in every mode', async (t) => {
  const { origin, proxy } = await startModesFixture(t, []);
  await origin.putObject(BUCKET, KEY, BODY, { contentType: STORED_TYPE });

  for (const block of MODE_BLOCKS) {
    await t.test(`${block.prefix} (${block.addressing}-style)`, async () => {
      const creds = block.token ? TEMP_KEYS : KEYS;
      for (const extra of ['', '&response-content-type=text%2Fx-test']) {
        const label = extra === '' ? 'plain' : 'with response-content-type';
        const before = origin.requests.length;
        const res = await raw(proxy.port, { path: `${block.prefix}${KEY}?${VIEWER_QUERY}${extra}`, headers: VIEWER_HEADERS });
        assert.equal(res.status, 200, `${label}: ${res.text.slice(0, 400)}`);
        assert.equal(res.text, BODY);
        // response-* overrides are never forwarded (no query.allow): the stored type either way.
        assert.equal(res.headers['content-type'], STORED_TYPE, `${label}: Content-Type`);

        const seen = origin.requests.slice(before);
        assert.equal(seen.length, 1);
        const rec = seen[0]!;
        assert.equal(rec.auth, block.auth, `${label}: signed the block's way`);
        assert.equal(rec.accessKeyId, creds.accessKeyId, `${label}: the proxy's access key`);
        const wire = `${rec.url}\n${JSON.stringify(rec.headers)}`;
        assert.ok(wire.includes(creds.accessKeyId), `${label}: the search sees the proxy's own credential`);
        for (const needle of NEEDLES) {
          assert.ok(!wire.includes(needle) && !decodeURIComponent(wire).includes(needle), `${label}: ${JSON.stringify(needle)} reached the origin:\n${wire}`);
        }
        for (const name of ['cookie', 'proxy-authorization', 'x-amz-acl']) {
          assert.equal(rec.headers[name], undefined, `${label}: ${name} forwarded`);
        }
        if (block.token && block.mode === 'header') assert.equal(rec.headers['x-amz-security-token'], TEMP_KEYS.sessionToken);
        if (!block.token) assert.equal(rec.headers['x-amz-security-token'], undefined);
        const query = new URL(rec.url, 'http://x').searchParams;
        if (block.token && block.mode === 'query') {
          // SigV4 presigned: X-Amz-Security-Token; SigV2 query: x-amz-security-token.
          const token = query.get('X-Amz-Security-Token') ?? query.get('x-amz-security-token');
          assert.equal(token, TEMP_KEYS.sessionToken);
        }
        if (block.version === 'v4' && block.mode === 'query') assert.equal(query.get('X-Amz-Expires'), '300', `${label}: the block's expiry, not the viewer's`);
        assert.equal(query.get('response-content-type'), null, `${label}: override not forwarded`);
        // One signature, the proxy's: a single value for each signature parameter.
        for (const name of ['X-Amz-Signature', 'X-Amz-Credential', 'Signature', 'AWSAccessKeyId', 'Expires', 'X-Amz-Date']) {
          assert.ok(query.getAll(name).length <= 1, `${label}: ${name} appears ${query.getAll(name).length} times`);
        }
      }
    });
  }
});

test('includeHeaders cannot forward viewer credentials or signing inputs', async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS, TEMP_KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, KEY, BODY, { contentType: STORED_TYPE });
  const includeHeaders = ['Authorization', 'x-amz-date', 'X-Amz-Security-Token', 'x-amz-content-sha256', 'proxy-authorization', 'host', 'x-e2e-allowed'];
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: SIGNING_MODES.map(({ version, mode }) => {
      const b = blockFor(origin.port, { path: `/${version}-${mode}/`, bucket: BUCKET, version, mode, credentials: TEMP_KEYS });
      return { ...b, signing: { ...(b.signing as object), includeHeaders } };
    }),
  });
  for (const { version, mode } of SIGNING_MODES) {
    const before = origin.requests.length;
    const res = await raw(proxy.port, {
      path: `/${version}-${mode}/${KEY}`,
      headers: { ...VIEWER_HEADERS, Host: 'viewer-host.example', 'X-E2E-Allowed': 'listed-and-forwarded' },
    });
    assert.equal(res.status, 200, `${version}-${mode}: ${res.text.slice(0, 400)}`);
    assert.equal(res.text, BODY);
    const rec = origin.requests[before]!;
    assert.equal(origin.requests.length, before + 1);
    assert.equal(rec.accessKeyId, TEMP_KEYS.accessKeyId);
    assert.equal(rec.headers['x-e2e-allowed'], 'listed-and-forwarded', `${version}-${mode}: an ordinary listed header is forwarded`);
    const wire = `${rec.url}\n${JSON.stringify(rec.headers)}`;
    for (const needle of [...NEEDLES, 'viewer-host.example']) {
      assert.ok(!wire.includes(needle), `${version}-${mode}: ${JSON.stringify(needle)} reached the origin:\n${wire}`);
    }
    assert.equal(rec.headers['proxy-authorization'], undefined);
  }
});
