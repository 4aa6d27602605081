// S3 Express One Zone through the CLI against the strict origin: a directory bucket block calls
// CreateSession once (signed with its own keys, service s3express) and signs GET, HEAD and PUT with
// the session's credentials and x-amz-s3session-token / X-Amz-S3session-Token (never
// x-amz-security-token), in header and query modes; renews the session once requests come after
// its refresh point; a failed CreateSession answers 503 and nothing else reaches the store. The
// origin refuses a directory bucket request without a session and an expired session.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { startStrictOrigin, SESSION_TTL_MS, type StrictOrigin } from '@origin-signer/strict-origin';
import { serverErrorDetail } from '../support/access-lines.js';
import { CREDS, raw, s3 } from '../support/origin-client.js';
import { blockFor, startProxyCli, type ProxyProcess } from '../support/proxy-cli.js';

const BUCKET = 'media--usw2-az1--x-s3';
const REGION = 'us-west-2';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function setup(t: TestContext, mode: 'header' | 'query', clock: () => number = Date.now): Promise<{ origin: StrictOrigin; proxy: ProxyProcess }> {
  const origin = await startStrictOrigin({ credentials: [CREDS], buckets: [BUCKET], region: REGION, clock });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'clip/seg1.ts', 'segment one\n', { contentType: 'video/mp2t' });
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [blockFor(origin.port, { bucket: BUCKET, version: 'v4', mode, region: REGION, credentials: { ...CREDS }, methods: ['GET', 'HEAD', 'PUT'] })],
  });
  return { origin, proxy };
}

const isCreateSession = (url: string): boolean => url === '/?session';

for (const mode of ['header', 'query'] as const) {
  test(`directory bucket, ${mode} mode: one CreateSession, then GET, HEAD, PUT signed with the session (s3express, x-amz-s3session-token)`, { timeout: 30_000 }, async (t) => {
    const { origin, proxy } = await setup(t, mode);
    const gets = await Promise.all([1, 2, 3].map(() => raw(proxy.port, { path: '/p/clip/seg1.ts' })));
    for (const g of gets) assert.equal(g.status, 200, g.text);
    assert.equal(gets[0]!.text, 'segment one\n');
    const head = await raw(proxy.port, { method: 'HEAD', path: '/p/clip/seg1.ts' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '12');
    const put = await raw(proxy.port, { method: 'PUT', path: '/p/clip/seg2.ts', headers: { 'content-type': 'video/mp2t' }, body: 'segment two\n' });
    assert.equal(put.status, 200, put.text);
    assert.equal((await origin.getObject(BUCKET, 'clip/seg2.ts'))?.toString(), 'segment two\n');

    // One session for the lot (three concurrent first requests shared it), ReadWrite (the block writes).
    assert.equal(origin.sessions.length, 1);
    const session = origin.sessions[0]!;
    assert.equal(session.mode, 'ReadWrite');
    assert.equal(session.issuedTo, CREDS.accessKeyId);
    const creates = origin.requests.filter((r) => isCreateSession(r.url));
    assert.equal(creates.length, 1);
    assert.equal(creates[0]!.auth, 'v4-header', 'CreateSession is header-signed whatever the mode');
    assert.match(String(creates[0]!.headers.authorization), new RegExp(`Credential=${CREDS.accessKeyId}/\\d{8}/${REGION}/s3express/aws4_request`));
    assert.equal(creates[0]!.headers['x-amz-create-session-mode'], 'ReadWrite');

    const objects = origin.requests.filter((r) => !isCreateSession(r.url));
    assert.equal(objects.length, 5);
    for (const r of objects) {
      assert.equal(r.status, 200, `${r.method} ${r.url}: ${r.errorCode}`);
      assert.equal(r.accessKeyId, session.accessKeyId, 'signed with the session key');
      assert.equal(r.auth, mode === 'header' ? 'v4-header' : 'v4-query');
      assert.equal(r.headers['x-amz-security-token'], undefined);
      assert.doesNotMatch(r.url, /X-Amz-Security-Token/i);
      if (mode === 'header') {
        assert.equal(r.headers['x-amz-s3session-token'], session.sessionToken);
        assert.match(String(r.headers.authorization), /\/us-west-2\/s3express\/aws4_request, SignedHeaders=[^,]*x-amz-s3session-token/);
      } else {
        assert.equal(new URL(r.url, 'http://x').searchParams.get('X-Amz-S3session-Token'), session.sessionToken);
        assert.match(decodeURIComponent(r.url), /X-Amz-Credential=[^&]*\/us-west-2\/s3express\/aws4_request/);
      }
    }
    // The session's secrets never reach the proxy's output (checked for the config's at the end).
    for (const line of proxy.lines) assert.ok(!line.includes(session.secretAccessKey) && !line.includes(session.sessionToken), line);
  });
}

test('the session is renewed once requests come after its refresh point (a minute before expiry); the origin refuses an expired one', { timeout: 30_000 }, async (t) => {
  // The origin's clock runs behind so the session it issues expires 62 s from now (the proxy's
  // clock): its refresh point is 2 s away.
  let shift = -(SESSION_TTL_MS - 62_000);
  const { origin, proxy } = await setup(t, 'header', () => Date.now() + shift);
  for (let i = 0; i < 4; i++) assert.equal((await raw(proxy.port, { path: '/p/clip/seg1.ts' })).status, 200);
  assert.equal(origin.sessions.length, 1);
  const first = origin.sessions[0]!;
  const refreshAt = first.expiration - 60_000;
  assert.ok(Date.now() < refreshAt, 'the first requests came before the refresh point');
  await sleep(refreshAt - Date.now() + 100);

  // Past the refresh point: this request still goes with the current session, and one CreateSession starts.
  const a = await raw(proxy.port, { path: '/p/clip/seg1.ts' });
  assert.equal(a.status, 200);
  for (let i = 0; i < 50 && origin.sessions.length < 2; i++) await sleep(20);
  assert.equal(origin.sessions.length, 2, 'a new session');
  const second = origin.sessions[1]!;
  for (let i = 0; i < 3; i++) assert.equal((await raw(proxy.port, { path: '/p/clip/seg1.ts' })).status, 200);
  assert.equal(origin.sessions.length, 2, 'one renewal');
  assert.equal(origin.requests.at(-1)!.accessKeyId, second.accessKeyId, 'later requests sign with the new session');
  assert.equal(origin.requests.filter((r) => isCreateSession(r.url)).length, 2);

  // The origin's clock past the session's expiry: S3 says ExpiredToken.
  shift = second.expiration - Date.now() + 1000;
  await raw(proxy.port, { path: '/p/clip/seg1.ts' });
  assert.equal(origin.requests.at(-1)!.errorCode, 'ExpiredToken');
});

test('CreateSession failing: 503 OS_ERR_CREDENTIALS_UNAVAILABLE naming the failure, and nothing else reaches the store', { timeout: 30_000 }, async (t) => {
  const { origin, proxy } = await setup(t, 'query');
  origin.setFault((r) => (isCreateSession(r.url) ? 'internal-error-500' : undefined));
  const res = await raw(proxy.port, { path: '/p/clip/seg1.ts' });
  assert.equal(res.status, 503, res.text);
  const { body, detail } = await serverErrorDetail(proxy, res);
  assert.equal(body.error, 'OS_ERR_CREDENTIALS_UNAVAILABLE');
  assert.match(detail, /no S3 Express session for bucket media--usw2-az1--x-s3; CreateSession failed: CreateSession answered 500 InternalError/);
  const again = await raw(proxy.port, { path: '/p/clip/seg1.ts' });
  assert.equal(again.status, 503);
  assert.ok(origin.requests.length >= 1);
  assert.ok(origin.requests.every((r) => isCreateSession(r.url)), origin.requests.map((r) => r.url).join(' '));
  assert.equal(origin.sessions.length, 0);
});

test('the origin refuses a directory bucket request signed with the caller\'s own keys (no session) and CreateSession signed for s3', async (t) => {
  const origin = await startStrictOrigin({ credentials: [CREDS], buckets: [BUCKET], region: REGION });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'a.txt', 'a');
  const host = `${BUCKET}.localhost:${origin.port}`;
  const noSession = await s3(origin, { path: '/a.txt', host, region: REGION, service: 's3express' });
  assert.equal(noSession.status, 403);
  assert.match(noSession.text, /<Code>AccessDenied<\/Code>.*CreateSession/s);
  const asS3 = await s3(origin, { path: '/?session', host, region: REGION, service: 's3' });
  assert.equal(asS3.status, 400, 'CreateSession signed for the service s3');
  assert.match(asS3.text, /AuthorizationHeaderMalformed/);
  const created = await s3(origin, { path: '/?session', host, region: REGION, service: 's3express', headers: { 'x-amz-create-session-mode': 'ReadOnly', 'x-amz-content-sha256': EMPTY_SHA256 } });
  assert.equal(created.status, 200, created.text);
  assert.equal(origin.sessions[0]!.mode, 'ReadOnly');
});
