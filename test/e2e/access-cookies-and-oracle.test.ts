// Signed URLs and cookies made by other tools pass the proxy unchanged: `@aws-sdk/cloudfront-signer`
// getSignedCookies (canned and custom policy, SHA-1 and SHA-256) sent as the Cookie header, only on a
// block with `signedUrls.cookies: true`; its getSignedUrl URLs (canned, custom with dateGreaterThan
// and ipAddress). And the other way round: what our `sign-url` CLI prints (URL and --cookies) is
// accepted by the proxy and checks out with plain node:crypto verify() against the public key.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { test } from 'node:test';
import { getSignedCookies, getSignedUrl } from '@aws-sdk/cloudfront-signer';
import {
  DISTRIBUTION,
  ECDSA,
  RSA2048,
  accessBlock,
  accessOrigin,
  accessProxy,
  cfDecode,
  deniedReason,
  keyPem,
  nowSec,
  pathAndQuery,
  queryPairs,
  tempDir,
  writeFile,
} from '../support/access-fixtures.js';
import { raw, type Res } from '../support/origin-client.js';
import { binPath } from '../support/paths.js';

const OBJECTS = { 'a.txt': 'object A\n', 'dir/b.txt': 'object B\n' };
const CF_NAMES = /CloudFront-|Signature|Key-Pair-Id|Policy|Expires/;

const cookieHeader = (cookies: object): string =>
  Object.entries(cookies)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('; ');

test('cookies and URLs from @aws-sdk/cloudfront-signer, and our sign-url checked by node:crypto', async (t) => {
  const origin = await accessOrigin(t, OBJECTS);
  const dir = tempDir(t);
  const keys = { [RSA2048.id]: writeFile(dir, 'rsa2048-public.pem', keyPem(RSA2048.pub)), [ECDSA.id]: writeFile(dir, 'ecdsa-public.pem', keyPem(ECDSA.pub)) };
  const proxy = await accessProxy(t, [
    accessBlock(origin, '/c/', { signedUrls: { keys, cookies: true, baseUrl: DISTRIBUTION } }),
    accessBlock(origin, '/n/', { signedUrls: { keys, cookies: false, baseUrl: DISTRIBUTION } }),
  ]);
  const rsaPrivatePem = keyPem(RSA2048.priv);
  const soon = (): string => new Date((nowSec() + 3600) * 1000).toISOString();

  async function ok(path: string, headers: Record<string, string>, body: string): Promise<void> {
    const before = origin.requests.length;
    const res = await raw(proxy.port, { path, headers });
    assert.equal(res.status, 200, `${path}: ${res.text.slice(0, 300)}`);
    assert.equal(res.text, body);
    assert.equal(origin.requests.length, before + 1);
    const seen = origin.requests.at(-1)!;
    assert.doesNotMatch(seen.url, CF_NAMES, 'no CloudFront parameter reaches the bucket');
    assert.equal(seen.headers.cookie, undefined, 'the cookies are not forwarded');
  }
  async function refused(path: string, headers: Record<string, string>, reason: string): Promise<Res> {
    const before = origin.requests.length;
    const res = await raw(proxy.port, { path, headers });
    assert.equal(await deniedReason(proxy, res), reason, path);
    assert.equal(origin.requests.length, before, 'nothing reached the bucket');
    return res;
  }

  await t.test('getSignedCookies, canned policy → Cookie header → 200', async () => {
    const cookies = getSignedCookies({ url: `${DISTRIBUTION}/c/a.txt`, keyPairId: RSA2048.id, privateKey: rsaPrivatePem, dateLessThan: soon() });
    assert.ok(cookies['CloudFront-Expires'] !== undefined && cookies['CloudFront-Policy'] === undefined, 'a canned policy');
    await ok('/c/a.txt', { cookie: `session=abc; ${cookieHeader(cookies)}; theme=dark` }, OBJECTS['a.txt']);
    // A canned cookie names one URL.
    await refused('/c/dir/b.txt', { cookie: cookieHeader(cookies) }, 'bad signature');
    const sha256 = getSignedCookies({ url: `${DISTRIBUTION}/c/a.txt`, keyPairId: RSA2048.id, privateKey: rsaPrivatePem, dateLessThan: soon(), algorithm: 'SHA256' });
    assert.equal(sha256['CloudFront-Hash-Algorithm'], 'SHA256');
    await ok('/c/a.txt', { cookie: cookieHeader(sha256) }, OBJECTS['a.txt']);
  });

  await t.test('getSignedCookies, custom policy (wildcard, dates, IP) → 200 for every path it covers', async () => {
    const policy = JSON.stringify({ Statement: [{ Resource: `${DISTRIBUTION}/c/*`, Condition: { DateLessThan: { 'AWS:EpochTime': nowSec() + 3600 } } }] });
    const cookies = getSignedCookies({ keyPairId: RSA2048.id, privateKey: rsaPrivatePem, policy });
    assert.ok(cookies['CloudFront-Policy'] !== undefined && cookies['CloudFront-Expires'] === undefined, 'a custom policy');
    await ok('/c/a.txt', { cookie: cookieHeader(cookies) }, OBJECTS['a.txt']);
    await ok('/c/dir/b.txt', { cookie: cookieHeader(cookies) }, OBJECTS['dir/b.txt']);

    const params = getSignedCookies({
      url: `${DISTRIBUTION}/c/*`,
      keyPairId: RSA2048.id,
      privateKey: rsaPrivatePem,
      dateLessThan: soon(),
      dateGreaterThan: new Date((nowSec() - 60) * 1000).toISOString(),
      ipAddress: '127.0.0.1',
      algorithm: 'SHA256',
    });
    await ok('/c/dir/b.txt', { cookie: cookieHeader(params) }, OBJECTS['dir/b.txt']);

    const elsewhere = getSignedCookies({ url: `${DISTRIBUTION}/c/*`, keyPairId: RSA2048.id, privateKey: rsaPrivatePem, dateLessThan: soon(), ipAddress: '10.0.0.0/8' });
    await refused('/c/a.txt', { cookie: cookieHeader(elsewhere) }, 'ip not allowed');
    const expired = getSignedCookies({ url: `${DISTRIBUTION}/c/*`, keyPairId: RSA2048.id, privateKey: rsaPrivatePem, dateLessThan: new Date((nowSec() - 5) * 1000).toISOString(), dateGreaterThan: new Date((nowSec() - 3600) * 1000).toISOString() });
    await refused('/c/a.txt', { cookie: cookieHeader(expired) }, 'expired');
    const tampered = { ...cookies, 'CloudFront-Signature': cookies['CloudFront-Signature'].replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) };
    await refused('/c/a.txt', { cookie: cookieHeader(tampered) }, 'bad signature');
  });

  await t.test('cookies are refused on a block with cookies: false', async () => {
    const cookies = getSignedCookies({ url: `${DISTRIBUTION}/n/a.txt`, keyPairId: RSA2048.id, privateKey: rsaPrivatePem, dateLessThan: soon() });
    await refused('/n/a.txt', { cookie: cookieHeader(cookies) }, 'missing signature');
    // The same block takes the equivalent signed URL.
    const url = getSignedUrl({ url: `${DISTRIBUTION}/n/a.txt`, keyPairId: RSA2048.id, privateKey: rsaPrivatePem, dateLessThan: soon() });
    await ok(pathAndQuery(url), {}, OBJECTS['a.txt']);
  });

  await t.test('getSignedUrl: canned, and custom with dateGreaterThan and ipAddress', async () => {
    const canned = getSignedUrl({ url: `${DISTRIBUTION}/c/a.txt`, keyPairId: RSA2048.id, privateKey: rsaPrivatePem, dateLessThan: soon() });
    assert.match(canned, /[?&]Expires=\d+&/);
    assert.doesNotMatch(canned, /Policy=/);
    await ok(pathAndQuery(canned), {}, OBJECTS['a.txt']);
    const sha256 = getSignedUrl({ url: `${DISTRIBUTION}/c/a.txt`, keyPairId: RSA2048.id, privateKey: rsaPrivatePem, dateLessThan: soon(), algorithm: 'SHA256' });
    assert.match(sha256, /Hash-Algorithm=SHA256/);
    await ok(pathAndQuery(sha256), {}, OBJECTS['a.txt']);

    const custom = getSignedUrl({
      url: `${DISTRIBUTION}/c/dir/b.txt`,
      keyPairId: RSA2048.id,
      privateKey: rsaPrivatePem,
      dateLessThan: soon(),
      dateGreaterThan: new Date((nowSec() - 60) * 1000).toISOString(),
      ipAddress: '127.0.0.1',
    });
    assert.match(custom, /Policy=/);
    await ok(pathAndQuery(custom), {}, OBJECTS['dir/b.txt']);

    const later = getSignedUrl({
      url: `${DISTRIBUTION}/c/dir/b.txt`,
      keyPairId: RSA2048.id,
      privateKey: rsaPrivatePem,
      dateLessThan: new Date((nowSec() + 7200) * 1000).toISOString(),
      dateGreaterThan: new Date((nowSec() + 3600) * 1000).toISOString(),
    });
    await refused(pathAndQuery(later), {}, 'not yet valid');
    const otherIp = getSignedUrl({ url: `${DISTRIBUTION}/c/dir/b.txt`, keyPairId: RSA2048.id, privateKey: rsaPrivatePem, dateLessThan: soon(), ipAddress: '192.0.2.0/24' });
    await refused(pathAndQuery(otherIp), {}, 'ip not allowed');
  });

  // Our CLI, checked by hand: the canned policy text written out here, CloudFront base64 undone here,
  // node:crypto verify() with the public key.
  const cli = (args: string[]): string => {
    const r = spawnSync(binPath, ['sign-url', ...args], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const rsaFile = writeFile(dir, 'rsa2048.pem', rsaPrivatePem);
  const ecFile = writeFile(dir, 'ecdsa.pem', keyPem(ECDSA.priv));
  const rsaPublic = createPublicKey(keyPem(RSA2048.pub));
  const ecPublic = createPublicKey(keyPem(ECDSA.pub));

  await t.test('sign-url: a canned URL, verified by node:crypto and accepted by the proxy', async () => {
    const expires = nowSec() + 3600;
    const target = `${DISTRIBUTION}/c/a.txt`;
    const out = cli(['--key-pair-id', RSA2048.id, '--private-key', rsaFile, '--url', target, '--expires-at', String(expires)]);
    assert.match(out, /\n$/);
    const url = out.trim();
    const q = Object.fromEntries(queryPairs(url));
    assert.equal(url.split('?')[0], target);
    assert.deepEqual(Object.keys(q), ['Expires', 'Signature', 'Key-Pair-Id']);
    assert.equal(q.Expires, String(expires));
    assert.equal(q['Key-Pair-Id'], RSA2048.id);
    const policy = `{"Statement":[{"Resource":"${target}","Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`;
    assert.ok(verify('sha1', Buffer.from(policy), rsaPublic, cfDecode(q.Signature!)), 'RSA-SHA1 over the canned policy');
    await ok(pathAndQuery(url), {}, OBJECTS['a.txt']);
  });

  await t.test('sign-url: ISO 8601 times, a custom policy (not-before, ip), SHA-256 and ECDSA', async () => {
    const expires = nowSec() + 3600;
    const notBefore = nowSec() - 60;
    const target = `${DISTRIBUTION}/c/dir/b.txt`;
    const iso = (s: number): string => new Date(s * 1000).toISOString().replace(/\.000Z$/, 'Z');
    const url = cli(['--key-pair-id', RSA2048.id, '--private-key', rsaFile, '--url', target, '--expires-at', iso(expires), '--not-before', iso(notBefore), '--ip', '127.0.0.1', '--hash-algorithm', 'SHA256']).trim();
    const q = Object.fromEntries(queryPairs(url));
    assert.deepEqual(Object.keys(q), ['Policy', 'Signature', 'Key-Pair-Id', 'Hash-Algorithm']);
    const policy = cfDecode(q.Policy!);
    assert.deepEqual(JSON.parse(policy.toString()), {
      Statement: [{ Resource: target, Condition: { DateLessThan: { 'AWS:EpochTime': expires }, DateGreaterThan: { 'AWS:EpochTime': notBefore }, IpAddress: { 'AWS:SourceIp': '127.0.0.1/32' } } }],
    });
    assert.ok(verify('sha256', policy, rsaPublic, cfDecode(q.Signature!)), 'RSA-SHA256 over the policy bytes sent');
    await ok(pathAndQuery(url), {}, OBJECTS['dir/b.txt']);

    const ec = cli(['--key-pair-id', ECDSA.id, '--private-key', ecFile, '--url', `${DISTRIBUTION}/c/*`, '--expires-at', String(expires), '--hash-algorithm', 'SHA256']).trim();
    const e = Object.fromEntries(queryPairs(ec));
    assert.ok(verify('sha256', cfDecode(e.Policy!), ecPublic, cfDecode(e.Signature!)), 'ECDSA P-256 over the policy bytes');
    // A wildcard URL's parameters go on a concrete path.
    await ok(`/c/a.txt?${ec.split('?')[1]}`, {}, OBJECTS['a.txt']);
  });

  await t.test('sign-url --cookies: Set-Cookie lines, verified by node:crypto and accepted as cookies', async () => {
    const expires = nowSec() + 3600;
    const target = `${DISTRIBUTION}/c/a.txt`;
    const out = cli(['--key-pair-id', RSA2048.id, '--private-key', rsaFile, '--url', target, '--expires-at', String(expires), '--cookies']);
    const lines = out.trim().split('\n');
    assert.equal(lines.length, 3, out);
    const cookies: Record<string, string> = {};
    for (const line of lines) {
      const m = /^Set-Cookie: (CloudFront-[A-Za-z-]+)=([^;]+); Path=\/; Secure; HttpOnly$/.exec(line);
      assert.ok(m, line);
      cookies[m[1]!] = m[2]!;
    }
    assert.deepEqual(Object.keys(cookies).sort(), ['CloudFront-Expires', 'CloudFront-Key-Pair-Id', 'CloudFront-Signature']);
    const policy = `{"Statement":[{"Resource":"${target}","Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`;
    assert.ok(verify('sha1', Buffer.from(policy), rsaPublic, cfDecode(cookies['CloudFront-Signature']!)));
    await ok('/c/a.txt', { cookie: cookieHeader(cookies) }, OBJECTS['a.txt']);

    const wildcard = cli(['--key-pair-id', RSA2048.id, '--private-key', rsaFile, '--url', `${DISTRIBUTION}/c/*`, '--expires-at', String(expires), '--cookies']);
    const wc = Object.fromEntries(wildcard.trim().split('\n').map((l) => /^Set-Cookie: ([^=]+)=([^;]+);/.exec(l)!.slice(1, 3) as [string, string]));
    assert.ok(verify('sha1', cfDecode(wc['CloudFront-Policy']!), rsaPublic, cfDecode(wc['CloudFront-Signature']!)));
    await ok('/c/dir/b.txt', { cookie: cookieHeader(wc) }, OBJECTS['dir/b.txt']);
    await refused('/n/dir/b.txt', { cookie: cookieHeader(wc) }, 'missing signature');
  });
});
