// `access.signedUrls` through the CLI proxy against the strict origin: fresh CloudFront-style URLs
// (canned, custom with a wildcard, SHA-256, ECDSA, each configured key — files and inline PEM
// text) reach the object; a tampered path or policy, an expired or not-yet-valid URL, an IP policy
// the viewer is outside of, an unknown key id or no signature get 403 with that reason and nothing
// reaches the bucket; CloudFront's parameters are never forwarded; the URL is judged with the
// scheme and host of `baseUrl` (else as received); /metrics counts every reason.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { test } from 'node:test';
import { signCloudFront, signedUrl, type SignOptions } from '../../src/access/sign.js';
import {
  DISTRIBUTION,
  ECDSA,
  RSA1024,
  RSA2048,
  accessBlock,
  accessOrigin,
  accessProxy,
  deniedMetric,
  deniedReason,
  flipChar,
  keyPem,
  nowSec,
  pathAndQuery,
  privateKeyOf,
  tempDir,
  writeFile,
} from '../support/access-fixtures.js';
import { raw, type Res } from '../support/origin-client.js';

const OBJECTS = { 'videos/a.mp4': 'video A\n', 'videos/sub/b.mp4': 'video B\n', 'other.txt': 'other\n' };
const OTHER_HOST = 'https://media.example.org';
const CF_PARAM = /(^|[?&])(Signature|Policy|Key-Pair-Id|Expires|Hash-Algorithm)=/;

test('CloudFront signed URLs through the proxy', async (t) => {
  const origin = await accessOrigin(t, OBJECTS);
  const dir = tempDir(t);
  const inline = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keys = {
    [RSA1024.id]: writeFile(dir, 'rsa1024-public.pem', keyPem(RSA1024.pub)),
    [RSA2048.id]: writeFile(dir, 'rsa2048-public.pem', keyPem(RSA2048.pub)),
    [ECDSA.id]: writeFile(dir, 'ecdsa-public.pem', keyPem(ECDSA.pub)),
    KINLINE2048: inline.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
  const proxy = await accessProxy(t, [
    accessBlock(origin, '/p/', { signedUrls: { keys, baseUrl: DISTRIBUTION } }),
    accessBlock(origin, '/q/', { signedUrls: { keys, baseUrl: OTHER_HOST } }),
    accessBlock(origin, '/r/', { signedUrls: { keys } }),
  ]);
  const local = `http://127.0.0.1:${proxy.port}`;

  const expectedDenials = new Map<string, number>();
  const rsa2048 = privateKeyOf(RSA2048.priv);
  const sign = (url: string, o: Partial<SignOptions> = {}): string =>
    signedUrl(url, signCloudFront({ url, keyPairId: RSA2048.id, privateKey: rsa2048, expires: nowSec() + 3600, ...o }));
  /** A custom policy for `resource` (its exact JSON), the parameters put on `url`. */
  const signFor = (resource: string, url: string): string => {
    const policy = `{"Statement":[{"Resource":"${resource}","Condition":{"DateLessThan":{"AWS:EpochTime":${nowSec() + 3600}}}}]}`;
    return signedUrl(url, signCloudFront({ url: resource, keyPairId: RSA2048.id, privateKey: rsa2048, policy }));
  };
  const get = (url: string, method = 'GET'): Promise<Res> => raw(proxy.port, { method, path: pathAndQuery(url) });

  async function allowed(url: string, body: string, method = 'GET'): Promise<void> {
    const before = origin.requests.length;
    const res = await get(url, method);
    assert.equal(res.status, 200, `${url}: ${res.text.slice(0, 300)}`);
    assert.equal(res.text, method === 'HEAD' ? '' : body);
    assert.equal(origin.requests.length, before + 1, 'one request reached the bucket');
    const seen = origin.requests.at(-1)!;
    assert.equal(seen.status, 200);
    assert.doesNotMatch(seen.url, CF_PARAM, `CloudFront parameters reached the bucket: ${seen.url}`);
  }
  async function denied(url: string, reason: string): Promise<void> {
    const before = origin.requests.length;
    const res = await get(url);
    assert.equal(await deniedReason(proxy, res), reason, url);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(origin.requests.length, before, `${reason}: nothing reached the bucket`);
    const block = `/${pathAndQuery(url).split('/')[1]}/`;
    expectedDenials.set(`${block}|${reason}`, (expectedDenials.get(`${block}|${reason}`) ?? 0) + 1);
  }

  await t.test('a fresh canned URL gets the object; its parameters never reach the bucket', async () => {
    const url = sign(`${DISTRIBUTION}/p/videos/a.mp4`);
    assert.match(url, /\?Expires=\d+&Signature=[^&]+&Key-Pair-Id=K2JCJMDEHXQW5F$/);
    await allowed(url, OBJECTS['videos/a.mp4']);
    await allowed(url, OBJECTS['videos/a.mp4'], 'HEAD');
  });

  await t.test('the URL\'s own query is part of what is signed; S3 response overrides are never forwarded', async () => {
    const url = sign(`${DISTRIBUTION}/p/videos/a.mp4?response-content-type=video%2Fmp4`);
    const before = origin.requests.length;
    const res = await get(url);
    assert.equal(res.status, 200, res.text);
    // Issue "response-* overrides for anyone": dropped on reads (no query.allow yet).
    assert.notEqual(res.headers['content-type'], 'video/mp4');
    assert.equal(origin.requests.length, before + 1);
    assert.doesNotMatch(origin.requests.at(-1)!.url, /response-content-type/);
    assert.doesNotMatch(origin.requests.at(-1)!.url, CF_PARAM);
    // The same signature without the signed query parameter is another URL.
    await denied(url.replace('response-content-type=video%2Fmp4&', ''), 'bad signature');
  });

  await t.test('every configured key: RSA 1024 (SHA-1 and SHA-256), RSA 2048, ECDSA P-256, inline PEM', async () => {
    const url = `${DISTRIBUTION}/p/videos/a.mp4`;
    const variants: Array<[string, Partial<SignOptions>, RegExp]> = [
      ['RSA 1024 SHA-1', { keyPairId: RSA1024.id, privateKey: privateKeyOf(RSA1024.priv) }, /Key-Pair-Id=K1TESTKEY$/],
      ['RSA 1024 SHA-256', { keyPairId: RSA1024.id, privateKey: privateKeyOf(RSA1024.priv), hashAlgorithm: 'SHA256' }, /&Hash-Algorithm=SHA256$/],
      ['RSA 2048 SHA-256', { hashAlgorithm: 'SHA256' }, /&Hash-Algorithm=SHA256$/],
      ['ECDSA', { keyPairId: ECDSA.id, privateKey: privateKeyOf(ECDSA.priv), hashAlgorithm: 'SHA256' }, /Key-Pair-Id=K2ECDSATEST&Hash-Algorithm=SHA256$/],
      ['inline PEM key', { keyPairId: 'KINLINE2048', privateKey: inline.privateKey }, /Key-Pair-Id=KINLINE2048$/],
    ];
    for (const [what, o, shape] of variants) {
      const signed = sign(url, o);
      assert.match(signed, shape, what);
      await allowed(signed, OBJECTS['videos/a.mp4']);
    }
    // A SHA-1 signature announced as SHA-256, and a SHA-256 one without Hash-Algorithm.
    await denied(`${sign(url)}&Hash-Algorithm=SHA256`, 'bad signature');
    await denied(sign(url, { hashAlgorithm: 'SHA256' }).replace('&Hash-Algorithm=SHA256', ''), 'bad signature');
    // ECDSA with Hash-Algorithm=SHA1 is never accepted.
    const ec = sign(url, { keyPairId: ECDSA.id, privateKey: privateKeyOf(ECDSA.priv), hashAlgorithm: 'SHA256' });
    await denied(ec.replace('Hash-Algorithm=SHA256', 'Hash-Algorithm=SHA1'), 'bad signature');
    // A key signed by one configured key pair but naming another.
    await denied(sign(url).replace('Key-Pair-Id=K2JCJMDEHXQW5F', 'Key-Pair-Id=KINLINE2048'), 'bad signature');
  });

  await t.test('a custom policy with a wildcard: matching paths pass, others are the wrong resource', async () => {
    const resource = `${DISTRIBUTION}/p/videos/*`;
    const a = signFor(resource, `${DISTRIBUTION}/p/videos/a.mp4`);
    assert.match(a, /\?Policy=[^&]+&Signature=[^&]+&Key-Pair-Id=/);
    await allowed(a, OBJECTS['videos/a.mp4']);
    await allowed(signFor(resource, `${DISTRIBUTION}/p/videos/sub/b.mp4`), OBJECTS['videos/sub/b.mp4']);
    await denied(signFor(resource, `${DISTRIBUTION}/p/other.txt`), 'wrong resource');
    // ? is one character.
    await allowed(signFor(`${DISTRIBUTION}/p/videos/?.mp4`, `${DISTRIBUTION}/p/videos/a.mp4`), OBJECTS['videos/a.mp4']);
    await denied(signFor(`${DISTRIBUTION}/p/videos/?.mp4`, `${DISTRIBUTION}/p/videos/sub/b.mp4`), 'wrong resource');
  });

  await t.test('tampering: another path, one character of the policy or signature', async () => {
    const url = sign(`${DISTRIBUTION}/p/videos/a.mp4`);
    await denied(url.replace('/p/videos/a.mp4', '/p/videos/sub/b.mp4'), 'bad signature');
    await denied(url.replace('/p/videos/a.mp4', '/p/other.txt'), 'bad signature');
    const sig = /Signature=([^&]+)/.exec(url)![1]!;
    await denied(url.replace(sig, flipChar(sig)), 'bad signature');
    const later = url.replace(/Expires=(\d+)/, (_m, e: string) => `Expires=${Number(e) + 86400}`);
    await denied(later, 'bad signature');

    const custom = signFor(`${DISTRIBUTION}/p/videos/*`, `${DISTRIBUTION}/p/videos/a.mp4`);
    const policy = /Policy=([^&]+)/.exec(custom)![1]!;
    await denied(custom.replace(policy, flipChar(policy, 40)), 'bad signature');
    await denied(custom.replace(policy, `${policy.slice(0, -4)}`), 'bad signature');
  });

  await t.test('expired and not yet valid', async () => {
    const url = `${DISTRIBUTION}/p/videos/a.mp4`;
    await denied(sign(url, { expires: nowSec() - 60 }), 'expired');
    await denied(sign(url, { expires: nowSec() - 60, notBefore: nowSec() - 3600 }), 'expired');
    await denied(sign(url, { notBefore: nowSec() + 3600, expires: nowSec() + 7200 }), 'not yet valid');
    await allowed(sign(url, { notBefore: nowSec() - 60 }), OBJECTS['videos/a.mp4']);
  });

  await t.test('an IP policy: 127.0.0.1 passes, a range without it is refused', async () => {
    const url = `${DISTRIBUTION}/p/videos/a.mp4`;
    await allowed(sign(url, { ipRange: '127.0.0.1' }), OBJECTS['videos/a.mp4']);
    await allowed(sign(url, { ipRange: '127.0.0.0/8' }), OBJECTS['videos/a.mp4']);
    await denied(sign(url, { ipRange: '10.0.0.0/8' }), 'ip not allowed');
    await denied(sign(url, { ipRange: '2001:db8::/32' }), 'ip not allowed');
  });

  await t.test('an unknown key pair and a missing signature', async () => {
    const url = `${DISTRIBUTION}/p/videos/a.mp4`;
    await denied(sign(url, { keyPairId: 'KNOTCONFIGURED' }), 'unknown key pair');
    await denied(url, 'missing signature');
    await denied(sign(url).replace(/&Signature=[^&]+/, ''), 'missing signature');
    await denied(sign(url).replace(/&Key-Pair-Id=[^&]+/, ''), 'missing signature');
    await denied(sign(url).replace(/Expires=\d+&/, ''), 'missing signature');
    // Cookies are not read by a block without `cookies: true`.
    const before = origin.requests.length;
    const s = signCloudFront({ url, keyPairId: RSA2048.id, privateKey: rsa2048, expires: nowSec() + 3600 });
    const cookie = s.params.map(([k, v]) => `CloudFront-${k}=${v}`).join('; ');
    const res = await raw(proxy.port, { path: '/p/videos/a.mp4', headers: { cookie } });
    assert.equal(await deniedReason(proxy, res), 'missing signature');
    assert.equal(origin.requests.length, before);
    expectedDenials.set('/p/|missing signature', (expectedDenials.get('/p/|missing signature') ?? 0) + 1);
  });

  await t.test('the URL is judged with baseUrl\'s scheme and host, else as received', async () => {
    // Signed for another host: refused on /p/ (baseUrl = the distribution) …
    await denied(sign(`${OTHER_HOST}/p/videos/a.mp4`), 'bad signature');
    await denied(signFor(`${OTHER_HOST}/p/*`, `${OTHER_HOST}/p/videos/a.mp4`), 'wrong resource');
    // … accepted on /q/, whose baseUrl is that host, where the distribution's URLs fail.
    await allowed(sign(`${OTHER_HOST}/q/videos/a.mp4`), OBJECTS['videos/a.mp4']);
    await allowed(signFor(`${OTHER_HOST}/q/*`, `${OTHER_HOST}/q/videos/sub/b.mp4`), OBJECTS['videos/sub/b.mp4']);
    await denied(sign(`${DISTRIBUTION}/q/videos/a.mp4`), 'bad signature');
    await denied(sign(`http://media.example.org/q/videos/a.mp4`), 'bad signature');
    // No baseUrl: http and the Host header the viewer sent.
    await allowed(sign(`${local}/r/videos/a.mp4`), OBJECTS['videos/a.mp4']);
    await denied(sign(`${DISTRIBUTION}/r/videos/a.mp4`), 'bad signature');
    await denied(sign(`https://127.0.0.1:${proxy.port}/r/videos/a.mp4`), 'bad signature');
  });

  await t.test('/metrics counts every denial by block and reason', async () => {
    const got = await deniedMetric(proxy);
    for (const reason of ['bad signature', 'wrong resource', 'expired', 'not yet valid', 'ip not allowed', 'unknown key pair', 'missing signature']) {
      assert.ok((expectedDenials.get(`/p/|${reason}`) ?? 0) > 0, `the test produced "${reason}" on /p/`);
    }
    assert.deepEqual(Object.fromEntries([...got].filter(([, n]) => n > 0).sort()), Object.fromEntries([...expectedDenials].sort()));
  });

  // After the metrics check: these requests are not in its tally.
  await t.test(
    'a signed policy with a malformed AWS:SourceIp is refused at once, never admitted',
    {},
    async () => {
      const url = `${DISTRIBUTION}/p/videos/a.mp4`;
      for (const ip of ['1.2.3.4/', '10.0.0.0/33', '10.0.0.0/abc']) {
        const policy = `{"Statement":[{"Resource":"${url}","Condition":{"DateLessThan":{"AWS:EpochTime":${nowSec() + 3600}},"IpAddress":{"AWS:SourceIp":"${ip}"}}}]}`;
        const signed = signedUrl(url, signCloudFront({ url, keyPairId: RSA2048.id, privateKey: rsa2048, policy }));
        const before = origin.requests.length;
        const res = await getWithin(proxy.port, pathAndQuery(signed), 3000);
        assert.equal(origin.requests.length, before, `${ip}: nothing reaches the bucket`);
        assert.ok(res !== 'timeout', `${ip}: the proxy never answered`);
        assert.equal(res.status, 403, ip);
      }
    },
  );
});

/** GET through the proxy, giving up after `ms` (a request the proxy never answers). */
function getWithin(port: number, path: string, ms: number): Promise<{ status: number } | 'timeout'> {
  return new Promise((resolve, reject) => {
    const req = httpGet({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.setTimeout(ms, () => {
      req.destroy();
      resolve('timeout');
    });
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
  });
}
