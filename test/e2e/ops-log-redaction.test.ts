// README "Operations → Logs": secrets, session tokens, Authorization, cookies and signature
// parameters never reach a log line. One proxy run exercises everything secret-bearing — every
// signing mode with session tokens, viewer-supplied presigned/CloudFront parameters, viewer
// Authorization / Cookie / x-amz-security-token headers, CloudFront signed URLs and cookies behind a
// secret header, log.signatureDebug with a wrong secret, credential refresh failures, a reload with
// a changed secret and a refused reload — and then no registered secret (test/support/
// secret-registry.ts: in any form, raw, JSON-escaped or percent-encoded) may occur in its stdout or
// stderr. One run, not one per path, so that the check sees every path's lines side by side.
// The same rule for SigV2's signatureDebug, config errors and `check`, and the leak check's own
// test, are in signature-debug-v2-redaction, config-error-redaction and leak-check-catches-leaks.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { getSignedCookies, getSignedUrl } from '@aws-sdk/cloudfront-signer';
import { stringify } from 'yaml';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { waitForLog } from '../support/access-lines.js';
import { cleanAwsEnv, configFileOf } from '../support/creds-helpers.js';
import { Issuer } from '../support/fake-aws.js';
import { raw, xmlField } from '../support/origin-client.js';
import { blockFor, SIGNING_MODES, startProxyCli, withTestAdmin, type ProxyProcess } from '../support/proxy-cli.js';
import { BUCKET, KEYS, modePrefix, secret, TEMP, WRONG } from '../support/redaction-fixtures.js';
import { assertNoLeaks, knownSecrets, registerConfigSecrets, registerSecret } from '../support/secret-registry.js';

const DISTRIBUTION = 'https://d111111abcdef8.cloudfront.net';
/** Query parameters (and header names) that carry signatures or credentials. */
const SIGNATURE_PARAM = /^(x-amz-(signature|credential|security-token|date|signedheaders|algorithm|expires)|signature|awsaccesskeyid|policy|key-pair-id|expires|hash-algorithm)$/i;

/** IMDS whose answers are scripted: good keys, a document the proxy must refuse, or 500. */
async function scriptedImds(t: TestContext, issuer: Issuer): Promise<{ url: string; mode: 'ok' | 'bad-document' | 'error'; calls: number }> {
  const state = { url: '', mode: 'ok' as 'ok' | 'bad-document' | 'error', calls: 0 };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      state.calls++;
      if (req.method === 'PUT') return void res.writeHead(200).end('imds-session-token-value');
      if (req.url === '/latest/meta-data/iam/security-credentials/') return void res.writeHead(200).end('redaction-role');
      if (state.mode === 'error') return void res.writeHead(500).end(`internal error for ${issuer.issue().secretAccessKey}`);
      const c = issuer.issue();
      const expiration = state.mode === 'ok' ? c.expiration.toISOString() : 'not a date';
      res.writeHead(200).end(JSON.stringify({ Code: 'Success', Type: 'AWS-HMAC', AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, Token: c.sessionToken, Expiration: expiration }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** The access-log line of a request (written when the response has closed: waited for). */
const requestLine = (proxy: ProxyProcess, reqId: string): Promise<Record<string, unknown>> => waitForLog(proxy, (l) => l.msg === 'request' && l.reqId === reqId, 5000);

/** XML character references decoded (S3 error bodies are XML). */
const unxml = (s: string): string => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

test('one proxy run with every secret-bearing path: no secret in its output', { timeout: 120_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS, TEMP], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'a.txt', 'object a\n', { contentType: 'text/plain' });
  const issuer = new Issuer('ASIAREDACTIMDS', 4000, (all) => origin.setCredentials([KEYS, TEMP, ...all.map((c) => ({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken }))]));
  const imds = await scriptedImds(t, issuer);
  const cf = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const headerSecrets = [secret('cdn-header-old'), secret('cdn-header-new')];

  const v4blocks = SIGNING_MODES.filter((m) => m.version === 'v4');
  const config = {
    server: { host: '127.0.0.1', port: 0 },
    log: { level: 'info', signatureDebug: true },
    credentials: { static: KEYS, temp: TEMP, wrong: WRONG, box: { source: 'instance-metadata', endpoint: imds.url } },
    proxies: [
      // Every signing mode, with static keys and with a session token.
      ...SIGNING_MODES.flatMap(({ version, mode }) => [
        blockFor(origin.port, { path: modePrefix(version, mode), bucket: BUCKET, version, mode, credentials: 'static' }),
        blockFor(origin.port, { path: modePrefix(version, mode, '-token'), bucket: BUCKET, version, mode, credentials: 'temp', addressing: 'path' }),
      ]),
      // A wrong secret with the token (v4: canonical requests are logged with log.signatureDebug).
      ...v4blocks.map(({ version, mode }) => blockFor(origin.port, { path: modePrefix(version, mode, '-wrong'), bucket: BUCKET, version, mode, credentials: 'wrong' })),
      blockFor(origin.port, { path: '/imds/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: 'box' }),
      blockFor(origin.port, {
        path: '/cf/',
        bucket: BUCKET,
        version: 'v4',
        mode: 'header',
        credentials: 'temp',
        extra: { access: { requireHeader: { name: 'x-origin-secret', values: headerSecrets }, signedUrls: { keys: { KREDACTTEST: cf.publicKey }, cookies: true, baseUrl: DISTRIBUTION } } },
      }),
    ],
  };
  const proxy = await startProxyCli(t, config, cleanAwsEnv(t));
  assert.equal(issuer.issued.length, 1);

  await t.test('every signing mode, with and without a session token', async () => {
    for (const { version, mode } of SIGNING_MODES) {
      for (const suffix of ['', '-token']) {
        const res = await raw(proxy.port, { path: `${modePrefix(version, mode, suffix)}a.txt` });
        assert.equal(res.status, 200, `${version} ${mode}${suffix}: ${res.text}`);
        const seen = origin.requests.at(-1)!;
        if (suffix) assert.ok(JSON.stringify(seen).includes(TEMP.sessionToken) || JSON.stringify(seen).includes(encodeURIComponent(TEMP.sessionToken)), 'the token went upstream');
      }
    }
    assert.equal((await raw(proxy.port, { path: '/imds/a.txt' })).status, 200);
  });

  await t.test('viewer-supplied signature parameters, Authorization, Cookie and token headers', async () => {
    const v = { sig4: secret('viewer-sig4'), sig2: secret('viewer-sig2'), policy: secret('viewer-policy'), token: secret('viewer-token'), cred: secret('viewer-cred'), auth: secret('viewer-auth'), cookie: secret('viewer-cookie'), cfSig: secret('viewer-cf-sig') };
    const e = encodeURIComponent;
    const query = [
      'cb=1',
      `X-Amz-Signature=${e(v.sig4)}`,
      `X-Amz-Credential=${e(v.cred)}`,
      `X-Amz-Security-Token=${e(v.token)}`,
      'X-Amz-Date=20260101T000000Z',
      `Signature=${e(v.sig2)}`,
      `Policy=${e(v.policy)}`,
      'Key-Pair-Id=KVIEWER',
      'Expires=1999999999',
      'AWSAccessKeyId=AKIDVIEWER',
      `x-amz-signature=${e(v.sig4)}`, // lower case
      `X%2DAmz%2DSignature=${e(v.sig4)}`, // an encoded name
      'foo=bar',
    ].join('&');
    for (const { version, mode } of SIGNING_MODES) {
      const reqId = `redact-viewer-${version}-${mode}`;
      const res = await raw(proxy.port, {
        path: `${modePrefix(version, mode, '-token')}a.txt?${query}`,
        headers: {
          'x-request-id': reqId,
          authorization: `AWS4-HMAC-SHA256 Credential=AKIDVIEWER/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${v.auth}`,
          cookie: `session=${v.cookie}; CloudFront-Signature=${v.cfSig}`,
          'x-amz-security-token': v.token,
        },
      });
      assert.equal(res.status, 200, res.text);
      const line = await requestLine(proxy, reqId);
      assert.equal(line.query, 'cb=1&foo=bar', 'the logged query keeps the harmless parameters only');
      const seen = JSON.stringify(origin.requests.at(-1));
      for (const s of Object.values(v)) assert.ok(!seen.includes(s) && !seen.includes(e(s)), 'nothing of the viewer\'s reaches the store');
    }
  });

  await t.test('CloudFront signed URLs and cookies behind a secret header', async () => {
    const url = `${DISTRIBUTION}/cf/a.txt`;
    const dateLessThan = new Date(Date.now() + 3600_000).toISOString();
    const canned = getSignedUrl({ url, keyPairId: 'KREDACTTEST', privateKey: cf.privateKey, dateLessThan });
    const policy = JSON.stringify({ Statement: [{ Resource: `${DISTRIBUTION}/cf/*`, Condition: { DateLessThan: { 'AWS:EpochTime': Math.floor(Date.now() / 1000) + 3600 } } }] });
    const custom = getSignedUrl({ url, keyPairId: 'KREDACTTEST', privateKey: cf.privateKey, policy });
    for (const u of [canned, custom]) for (const [k, val] of new URL(u).searchParams) if (k === 'Signature' || k === 'Policy') registerSecret(val);
    const cookies = getSignedCookies({ url, keyPairId: 'KREDACTTEST', privateKey: cf.privateKey, policy });
    registerSecret(cookies['CloudFront-Signature']);
    registerSecret(cookies['CloudFront-Policy']);
    const pathOf = (u: string): string => u.slice(DISTRIBUTION.length);
    const tries: Array<[string, Parameters<typeof raw>[1], number]> = [
      ['canned', { path: pathOf(canned), headers: { 'x-origin-secret': headerSecrets[0]! } }, 200],
      ['custom', { path: pathOf(custom), headers: { 'x-origin-secret': headerSecrets[1]! } }, 200],
      ['cookies', { path: '/cf/a.txt', headers: { 'x-origin-secret': headerSecrets[0]!, cookie: Object.entries(cookies).map(([k, val]) => `${k}=${val}`).join('; ') } }, 200],
      ['bad signature', { path: pathOf(canned).replace(/Signature=[^&]{4}/, 'Signature=AAAA'), headers: { 'x-origin-secret': headerSecrets[0]! } }, 403],
      ['wrong header', { path: pathOf(canned), headers: { 'x-origin-secret': secret('not-the-cdn-secret') } }, 403],
      ['no header', { path: pathOf(canned) }, 403],
    ];
    for (const [what, o, status] of tries) {
      const reqId = `redact-cf-${what.replace(/ /g, '-')}`;
      const res = await raw(proxy.port, { ...o, headers: { ...o.headers, 'x-request-id': reqId } });
      assert.equal(res.status, status, `${what}: ${res.text}`);
      assert.equal((await requestLine(proxy, reqId)).query, undefined, `${what}: every parameter of a signed URL is left out of the log`);
    }
  });

  const debugLines: Array<{ mode: string; ours: string; theirs: string }> = [];
  await t.test('log.signatureDebug with a wrong secret: both sides logged, the token redacted', async () => {
    for (const { version, mode } of v4blocks) {
      const block = modePrefix(version, mode, '-wrong');
      const from = proxy.logs().length;
      const res = await raw(proxy.port, { path: `${block}a.txt` });
      assert.equal(res.status, 403);
      assert.equal(xmlField(res.text, 'Code'), 'SignatureDoesNotMatch');
      const line = await waitForLog(proxy, (l) => typeof l.msg === 'string' && l.msg.startsWith('upstream SignatureDoesNotMatch') && l.block === block, 5000, from);
      const ours = line.ours as { canonicalRequest?: string; stringToSign?: string };
      const theirs = line.upstream as { canonicalRequest?: string; stringToSign?: string };
      for (const [who, side] of [['ours', ours], ['the store\'s', theirs]] as const) {
        assert.equal(typeof side.canonicalRequest, 'string', `${mode}: ${who} canonical request`);
        assert.match(side.canonicalRequest!, /^GET\n\//, `${mode}: ${who} canonical request`);
        assert.match(side.stringToSign ?? '', /^AWS4-HMAC-SHA256\n/);
        assert.ok(side.canonicalRequest!.includes(mode === 'header' ? 'x-amz-security-token:[redacted]' : 'X-Amz-Security-Token=[redacted]'), `${mode}: ${who}: [redacted] where the token was:\n${side.canonicalRequest}`);
      }
      assert.equal(ours.canonicalRequest, unxml(theirs.canonicalRequest!), 'same request, different key: the canonical requests agree');
      debugLines.push({ mode, ours: ours.canonicalRequest!, theirs: theirs.canonicalRequest! });
    }
  });

  await t.test(
    'log.signatureDebug: the store\'s canonical request is logged as text, comparable with ours',
    {},
    () => {
      assert.equal(debugLines.length, v4blocks.length);
      for (const d of debugLines) assert.equal(d.theirs, d.ours, `${d.mode}: logged as the store computed it`);
    },
  );

  await t.test('credential refresh failures (a refused document, then 500)', async () => {
    let from = proxy.logs().length;
    imds.mode = 'bad-document';
    const bad = await waitForLog(proxy, (l) => l.msg === 'credentials refresh failed' && l.credentials === 'box', 15_000, from);
    assert.match(String(bad.err), /invalid Expiration/);
    from = proxy.logs().length;
    imds.mode = 'error';
    const err = await waitForLog(proxy, (l) => l.msg === 'credentials refresh failed' && l.credentials === 'box' && /answered 500/.test(String(l.err)), 15_000, from);
    assert.ok(Number(err.failures) >= 2);
    imds.mode = 'ok';
  });

  await t.test('a reload with a changed secret, then a refused reload', async () => {
    const file = configFileOf(proxy);
    const rotated = { accessKeyId: KEYS.accessKeyId, secretAccessKey: secret('static-rotated') };
    origin.setCredentials([rotated, TEMP]);
    const next = { ...config, credentials: { ...config.credentials, static: rotated } };
    registerConfigSecrets(next);
    writeFileSync(file, withTestAdmin(stringify(next)));
    let from = proxy.logs().length;
    process.kill(proxy.pid, 'SIGHUP');
    await waitForLog(proxy, (l) => l.msg === 'config reloaded', 15_000, from);
    assert.equal((await raw(proxy.port, { path: '/v4-header/a.txt', headers: { 'x-request-id': 'redact-rotated' } })).status, 200, 'signed with the new secret');
    await requestLine(proxy, 'redact-rotated');

    // A broken file, secrets in it at the places that produce problems.
    const broken = [
      'credentials:',
      '  static:',
      `    accessKeyId: ${rotated.accessKeyId}`,
      `    secretAccessKey: "${secret('broken-secret')}"`,
      `    signingKey: "${secret('broken-signing-key')}"`,
      `    sessionToken: ["${secret('broken-token')}"]`,
      '  pre:',
      '    accessKeyId: AKIDREDACTPRE0001',
      `    signingKey: "${secret('not-32-bytes')}"`,
      '    keyScope: 20260101/us-east-1/s3/aws4_request',
      'proxies:',
      `  - path: /p/`,
      `    upstream: { bucket: ${BUCKET}, region: us-east-1, endpoint: "http://localhost:${origin.port}" }`,
      '    credentials: static',
      '    access: { requireHeader: { name: x-origin-secret, values: [short] } }',
    ].join('\n');
    writeFileSync(file, withTestAdmin(broken));
    from = proxy.logs().length;
    process.kill(proxy.pid, 'SIGHUP');
    const refused = await waitForLog(proxy, (l) => typeof l.msg === 'string' && l.msg.startsWith('config reload refused'), 15_000, from);
    const problems = refused.problems as string[];
    assert.ok(problems.some((p) => /credentials\.static\.signingKey/.test(p)) && problems.some((p) => /credentials\.pre\.signingKey/.test(p)) && problems.some((p) => /sessionToken/.test(p)), problems.join('\n'));
    assert.equal((await raw(proxy.port, { path: '/v4-header/a.txt', headers: { 'x-request-id': 'redact-after-refused' } })).status, 200, 'still serving');
    await requestLine(proxy, 'redact-after-refused');
  });

  await t.test('request lines carry `query` without signature parameters', () => {
    const requests = proxy.logs().filter((l) => l.msg === 'request');
    assert.ok(requests.length >= 23, `${requests.length} request lines`);
    for (const l of requests) {
      if (l.query === undefined) continue;
      for (const part of String(l.query).split('&')) {
        const name = decodeURIComponent(part.split('=')[0]!);
        assert.doesNotMatch(name, SIGNATURE_PARAM, `logged query ${l.query}`);
      }
    }
  });

  // The same check startProxyCli makes after the test, here with the run still up, so that a
  // failure names this test.
  assert.ok(knownSecrets().length >= 25, `${knownSecrets().length} secrets registered`);
  assertNoLeaks('the redaction run', { stdout: proxy.lines, stderr: proxy.stderr });
});
