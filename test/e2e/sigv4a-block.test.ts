// SigV4A end to end (README "SigV4A: multi-region access points"): v4a blocks in front of a
// multi-region access point (upstream.accessPoint, dialled at the strict origin with
// upstream.endpoint and signed for the access point's own host), run through the CLI. The strict
// origin recomputes every SigV4A signature with its own key derivation and smithy's canonical
// request, and logs the auth it verified: GET, HEAD and PUT pass in header and query mode, with
// and without a session token; a region set, payload: sha256 and `presign` work too, and so does
// redirect mode (307 to a SigV4A presigned URL); a block with the wrong secret is refused by the
// origin (SignatureDoesNotMatch), and so is a region set that leaves out the origin's region.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { sha256Hex } from '../support/generated-body.js';
import { raw } from '../support/origin-client.js';
import { binPath } from '../support/paths.js';
import { startProxyCli, writeConfig } from '../support/proxy-cli.js';

const MRAP = 'arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap';
const ALIAS = 'mfzwi23gnjvgw.mrap';
const MRAP_HOST = `${ALIAS}.accesspoint.s3-global.amazonaws.com`;
const BUCKET = 'mrap-bucket-us-east-1';
const PLAIN = { accessKeyId: 'AKIDSIGV4AE2E000001', secretAccessKey: 'sigv4a/e2e+SECRET=0123456789abcdefXYZ' };
const TEMP = { accessKeyId: 'ASIASIGV4AE2E000002', secretAccessKey: 'sigv4a/temporary+SECRET=abcdef012345', sessionToken: 'FwoGZXIvYXdzEXAMPLE/session+token=v4a' };

function block(port: number, path: string, o: { mode: 'header' | 'query' | 'redirect'; credentials: object | string; upstream?: Record<string, unknown>; signing?: Record<string, unknown> }): Record<string, unknown> {
  return {
    path,
    upstream: { accessPoint: MRAP, region: '*', endpoint: `http://localhost:${port}`, ...o.upstream },
    credentials: o.credentials,
    signing: { version: 'v4a', mode: o.mode, ...o.signing },
    methods: ['GET', 'HEAD', 'PUT'],
  };
}

test('SigV4A blocks through the CLI against the strict origin', { timeout: 120_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [PLAIN, TEMP], buckets: [BUCKET], region: 'us-east-1' });
  t.after(() => origin.close());
  assert.equal(origin.createAccessPoint({ name: ALIAS, account: '123456789012', region: '', bucket: BUCKET }), MRAP_HOST);
  await origin.putObject(BUCKET, 'hello.txt', 'multi-region hello\n', { contentType: 'text/plain' });

  const p = origin.port;
  const config = {
    server: { host: '127.0.0.1', port: 0 },
    credentials: { plain: PLAIN, temporary: TEMP, wrong: { ...PLAIN, secretAccessKey: 'not-the-secret-the-origin-knows' } },
    proxies: [
      block(p, '/h/', { mode: 'header', credentials: 'plain' }),
      block(p, '/q/', { mode: 'query', credentials: 'plain' }),
      block(p, '/ht/', { mode: 'header', credentials: 'temporary' }),
      block(p, '/qt/', { mode: 'query', credentials: 'temporary' }),
      block(p, '/set/', { mode: 'header', credentials: 'plain', upstream: { region: undefined, regionSet: ['eu-west-1', 'us-east-1'] } }),
      block(p, '/sha/', { mode: 'header', credentials: 'plain', signing: { payload: 'sha256' } }),
      block(p, '/wrong/', { mode: 'header', credentials: 'wrong' }),
      block(p, '/wrongq/', { mode: 'query', credentials: 'wrong' }),
      { ...block(p, '/r/', { mode: 'redirect', credentials: 'temporary' }), methods: ['GET', 'HEAD'] },
      block(p, '/elsewhere/', { mode: 'header', credentials: 'plain', upstream: { region: undefined, regionSet: ['eu-west-1', 'ap-south-1'] } }),
    ],
  };

  await t.test('check accepts the config and shows the access point and region set', () => {
    const r = spawnSync(binPath, ['check', writeConfig(config)], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`accessPoint: ${MRAP.replace(/[.*]/g, '\\$&')}`));
    assert.match(r.stdout, /host: mfzwi23gnjvgw\.mrap\.accesspoint\.s3-global\.amazonaws\.com/);
    assert.match(r.stdout, /version: v4a/);
    assert.match(r.stdout, /regionSet: "\*"|regionSet: '\*'/);
    assert.match(r.stdout, /regionSet: eu-west-1,us-east-1/);
    for (const secret of [PLAIN.secretAccessKey, TEMP.secretAccessKey, TEMP.sessionToken]) assert.ok(!r.stdout.includes(secret), 'no secret in check output');
  });

  const proxy = await startProxyCli(t, config);
  const today = new Date().toISOString().slice(0, 10).replaceAll('-', '');

  for (const [prefix, mode, creds] of [['/h/', 'header', PLAIN], ['/q/', 'query', PLAIN], ['/ht/', 'header', TEMP], ['/qt/', 'query', TEMP]] as const) {
    const token = 'sessionToken' in creds;
    await t.test(`${mode} mode${token ? ' with a session token' : ''}: GET, HEAD and PUT are verified by the origin`, async () => {
      const before = origin.requests.length;
      const get = await raw(proxy.port, { path: `${prefix}hello.txt` });
      assert.equal(get.status, 200, get.text.slice(0, 500));
      assert.equal(get.text, 'multi-region hello\n');
      const head = await raw(proxy.port, { method: 'HEAD', path: `${prefix}hello.txt` });
      assert.equal(head.status, 200);
      assert.equal(head.headers['content-length'], String('multi-region hello\n'.length));
      const data = Buffer.from(`uploaded through ${prefix} ${'x'.repeat(3000)}`);
      const put = await raw(proxy.port, { method: 'PUT', path: `${prefix}up/${mode}${token ? '-token' : ''}.bin`, headers: { 'content-length': data.length, 'content-type': 'application/octet-stream' }, body: data });
      assert.equal(put.status, 200, put.text.slice(0, 500));
      assert.deepEqual(await origin.getObject(BUCKET, `up/${mode}${token ? '-token' : ''}.bin`), data);

      const seen = origin.requests.slice(before);
      assert.deepEqual(seen.map((r) => [r.method, r.status, r.auth]), [['GET', 200, `v4a-${mode}`], ['HEAD', 200, `v4a-${mode}`], ['PUT', 200, `v4a-${mode}`]]);
      for (const r of seen) {
        assert.equal(r.accessKeyId, creds.accessKeyId);
        assert.equal(r.headers.host, MRAP_HOST, "signed for the access point's host");
        assert.equal(r.url.split('?')[0], r.method === 'PUT' ? `/up/${mode}${token ? '-token' : ''}.bin` : '/hello.txt', 'the key is the whole path');
        const url = new URL(r.url, 'http://x');
        if (mode === 'header') {
          assert.match(String(r.headers.authorization), new RegExp(`^AWS4-ECDSA-P256-SHA256 Credential=${creds.accessKeyId}/${today}/s3/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-region-set[a-z0-9;-]*, Signature=30[0-9a-f]+$`));
          assert.equal(r.headers['x-amz-region-set'], '*');
          assert.equal(r.headers['x-amz-security-token'], token ? TEMP.sessionToken : undefined);
          assert.equal(r.headers['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD');
        } else {
          assert.equal(r.headers.authorization, undefined);
          assert.equal(url.searchParams.get('X-Amz-Algorithm'), 'AWS4-ECDSA-P256-SHA256');
          assert.equal(url.searchParams.get('X-Amz-Credential'), `${creds.accessKeyId}/${today}/s3/aws4_request`);
          assert.equal(url.searchParams.get('X-Amz-Region-Set'), '*');
          assert.equal(url.searchParams.get('X-Amz-Security-Token'), token ? TEMP.sessionToken : null);
          assert.match(url.searchParams.get('X-Amz-Signature') ?? '', /^30[0-9a-f]+$/);
        }
      }
    });
  }

  await t.test('a region set that includes the origin region', async () => {
    const before = origin.requests.length;
    const get = await raw(proxy.port, { path: '/set/hello.txt' });
    assert.equal(get.status, 200, get.text.slice(0, 500));
    const seen = origin.requests.slice(before);
    assert.equal(seen[0]!.headers['x-amz-region-set'], 'eu-west-1,us-east-1');
    assert.equal(seen[0]!.auth, 'v4a-header');
  });

  await t.test('payload: sha256 signs the body hash under SigV4A', async () => {
    const data = Buffer.from('hashed and signed with ECDSA\n');
    const before = origin.requests.length;
    const put = await raw(proxy.port, { method: 'PUT', path: '/sha/hashed.txt', headers: { 'content-length': data.length }, body: data });
    assert.equal(put.status, 200, put.text.slice(0, 500));
    const seen = origin.requests.slice(before);
    assert.equal(seen[0]!.headers['x-amz-content-sha256'], sha256Hex(data));
    assert.equal(seen[0]!.auth, 'v4a-header');
    assert.deepEqual(await origin.getObject(BUCKET, 'hashed.txt'), data);
  });

  await t.test('mis-signed: the wrong secret is refused by the origin in both modes, nothing is written', async () => {
    for (const prefix of ['/wrong/', '/wrongq/']) {
      const before = origin.requests.length;
      const get = await raw(proxy.port, { path: `${prefix}hello.txt` });
      assert.equal(get.status, 403, `${prefix}: ${get.text.slice(0, 500)}`);
      assert.match(get.text, /<Code>SignatureDoesNotMatch<\/Code>/);
      const put = await raw(proxy.port, { method: 'PUT', path: `${prefix}never.txt`, headers: { 'content-length': 5 }, body: 'never' });
      assert.equal(put.status, 403);
      const seen = origin.requests.slice(before);
      assert.deepEqual(seen.map((r) => [r.status, r.errorCode, r.auth]), [
        [403, 'SignatureDoesNotMatch', prefix === '/wrong/' ? 'v4a-header' : 'v4a-query'],
        [403, 'SignatureDoesNotMatch', prefix === '/wrong/' ? 'v4a-header' : 'v4a-query'],
      ]);
    }
    assert.equal(await origin.getObject(BUCKET, 'never.txt'), undefined);
  });

  await t.test("a region set without the origin's region is refused by the origin", async () => {
    const before = origin.requests.length;
    const get = await raw(proxy.port, { path: '/elsewhere/hello.txt' });
    assert.equal(get.status, 400, get.text.slice(0, 500));
    assert.equal(origin.requests.slice(before)[0]!.errorCode, 'AuthorizationHeaderMalformed');
  });

  await t.test('redirect mode: 307 to a SigV4A presigned URL the origin accepts', async () => {
    const res = await raw(proxy.port, { path: '/r/hello.txt' });
    assert.equal(res.status, 307, res.text.slice(0, 500));
    const location = new URL(String(res.headers.location));
    // The host the URL is signed for, not the endpoint the block dials: a viewer cannot send another Host.
    assert.equal(location.origin, `https://${MRAP_HOST}`);
    assert.equal(location.searchParams.get('X-Amz-Algorithm'), 'AWS4-ECDSA-P256-SHA256');
    assert.equal(location.searchParams.get('X-Amz-Region-Set'), '*');
    assert.equal(location.searchParams.get('X-Amz-Security-Token'), TEMP.sessionToken);
    const before = origin.requests.length;
    const got = await raw(p, { path: `${location.pathname}${location.search}`, headers: { host: MRAP_HOST } });
    assert.equal(got.status, 200, got.text.slice(0, 500));
    assert.equal(got.text, 'multi-region hello\n');
    assert.equal(origin.requests.slice(before)[0]!.auth, 'v4a-query');
  });

  await t.test('presign: a SigV4A URL straight to the access point', async () => {
    const file = writeConfig(config);
    for (const path of ['/q/hello.txt', '/ht/hello.txt']) {
      const r = spawnSync(binPath, ['presign', '--config', file, '--path', path, '--expires', '300'], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(r.status, 0, r.stderr);
      const url = new URL(r.stdout.trim());
      // With upstream.endpoint the block dials the endpoint; the URL names the access point's own host, which it is signed for.
      assert.equal(url.origin, `https://${MRAP_HOST}`);
      assert.equal(url.searchParams.get('X-Amz-Algorithm'), 'AWS4-ECDSA-P256-SHA256');
      const before = origin.requests.length;
      const got = await raw(p, { path: `${url.pathname}${url.search}`, headers: { host: MRAP_HOST } });
      assert.equal(got.status, 200, got.text.slice(0, 500));
      assert.equal(got.text, 'multi-region hello\n');
      assert.equal(origin.requests.slice(before)[0]!.auth, 'v4a-query');
    }
  });
});
