// `access.requireHeader` and `access.allowIps` through the CLI proxy: both values of a rotating
// secret pass, a third value or none is refused (and nothing reaches the bucket); the secret never
// reaches the bucket nor the log, and naming it in includeHeaders is a config error; allowIps is
// judged on the socket peer, or on X-Forwarded-For as far as server.trustProxy vouches; a top-level
// `access` applies to blocks without their own and a block's own replaces it; all rules together
// must all pass.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { DISTRIBUTION, accessBlock, accessOrigin, accessProxy, deniedMetric, deniedReason, rsa2048Keys, tempDir, writeFile } from '../support/access-fixtures.js';
import { rsa2048SignedPath } from '../support/access-signed-path.js';
import { raw, type Res } from '../support/origin-client.js';
import { binPath } from '../support/paths.js';
import type { ProxyProcess } from '../support/proxy-cli.js';
import type { StrictOrigin } from '@origin-signer/strict-origin';
import { waitForLog } from '../support/access-lines.js';

const OBJECTS = { 'file.txt': 'the object\n' };
const HEADER = 'x-origin-secret';
const OLD = 'old-secret-value-7f3a9c';
const NEW = 'new-secret-value-b81e44';
const SECRET = { name: 'X-Origin-Secret', values: [OLD, NEW] };

function checker(proxy: ProxyProcess, origin: StrictOrigin) {
  return {
    async ok(path: string, headers: Record<string, string> = {}): Promise<Res> {
      const before = origin.requests.length;
      const res = await raw(proxy.port, { path, headers });
      assert.equal(res.status, 200, `${path} ${JSON.stringify(headers)}: ${res.text.slice(0, 300)}`);
      assert.equal(res.text, OBJECTS['file.txt']);
      assert.equal(origin.requests.length, before + 1);
      return res;
    },
    async denied(path: string, headers: Record<string, string>, reason: string): Promise<void> {
      const before = origin.requests.length;
      const res = await raw(proxy.port, { path, headers });
      assert.equal(await deniedReason(proxy, res), reason, `${path} ${JSON.stringify(headers)}`);
      assert.equal(origin.requests.length, before, `${reason}: nothing reached the bucket`);
    },
  };
}

test('secret header (rotation), IP allow-lists, top-level default, all rules together', async (t) => {
  const origin = await accessOrigin(t, OBJECTS);
  const keys = rsa2048Keys(t);
  const proxy = await accessProxy(
    t,
    [
      accessBlock(origin, '/s/'),
      accessBlock(origin, '/ip-ok/', { allowIps: ['127.0.0.0/8'] }),
      accessBlock(origin, '/ip-no/', { allowIps: ['10.0.0.0/8', '2001:db8::/32'] }),
      accessBlock(origin, '/all/', { requireHeader: SECRET, allowIps: ['127.0.0.1'], signedUrls: { keys, baseUrl: DISTRIBUTION } }),
    ],
    { access: { requireHeader: SECRET } },
  );
  const c = checker(proxy, origin);

  await t.test('both values of a rotating secret pass; a third and none are refused', async () => {
    await c.ok('/s/file.txt', { [HEADER]: OLD });
    await c.ok('/s/file.txt', { [HEADER]: NEW });
    await c.ok('/s/file.txt', { 'X-ORIGIN-SECRET': NEW });
    await c.denied('/s/file.txt', { [HEADER]: 'third-secret-value-000' }, 'wrong secret header');
    await c.denied('/s/file.txt', { [HEADER]: OLD.slice(0, -1) }, 'wrong secret header');
    await c.denied('/s/file.txt', { [HEADER]: '' }, 'wrong secret header');
    await c.denied('/s/file.txt', {}, 'missing secret header');
    await c.denied('/s/file.txt', { 'x-origin-secrets': OLD }, 'missing secret header');
  });

  await t.test('the secret never reaches the bucket, the log or the 403', async () => {
    await c.ok('/s/file.txt', { [HEADER]: OLD });
    const seen = origin.requests.at(-1)!;
    assert.equal(seen.headers[HEADER], undefined);
    const everything = JSON.stringify(origin.requests);
    assert.ok(!everything.includes(OLD) && !everything.includes(NEW), 'no secret value in what the origin recorded');
    const res = await raw(proxy.port, { path: '/s/file.txt', headers: { [HEADER]: 'third-secret-value-000' } });
    assert.ok(!res.text.includes(OLD) && !res.text.includes(NEW) && !res.text.includes('third-secret'), res.text);
    // The access line travels over the proxy's stdout, after the 403: wait for it, by request id.
    const reqId = res.headers['x-request-id'];
    await waitForLog(proxy, (l) => l.reqId === reqId && l.denied === 'wrong secret header');
    const log = [...proxy.lines, ...proxy.stderr].join('\n');
    assert.ok(!log.includes(OLD) && !log.includes(NEW) && !log.includes('third-secret'), 'no secret value in the log');
  });

  await t.test("a block's own access replaces the top-level one", async () => {
    // /ip-ok/ has its own rules (allowIps only): no secret needed there.
    await c.ok('/ip-ok/file.txt');
    await c.ok('/ip-ok/file.txt', { [HEADER]: 'anything-at-all-here' });
    await c.denied('/ip-no/file.txt', { [HEADER]: OLD }, 'ip not allowed');
  });

  await t.test('trustProxy false: X-Forwarded-For is ignored', async () => {
    await c.denied('/ip-no/file.txt', { 'x-forwarded-for': '10.1.2.3' }, 'ip not allowed');
    await c.ok('/ip-ok/file.txt', { 'x-forwarded-for': '10.1.2.3' });
  });

  await t.test('all rules together: secret, address and signed URL must all pass', async () => {
    const path = rsa2048SignedPath(`${DISTRIBUTION}/all/file.txt`);
    await c.ok(path, { [HEADER]: NEW });
    await c.denied(path, {}, 'missing secret header');
    await c.denied(path, { [HEADER]: 'third-secret-value-000' }, 'wrong secret header');
    await c.denied('/all/file.txt', { [HEADER]: NEW }, 'missing signature');
    await c.denied(path.replace('/all/file.txt', '/all/other.txt'), { [HEADER]: NEW }, 'bad signature');
  });

  await t.test('/metrics counts the denials by block and reason', async () => {
    const got = await deniedMetric(proxy);
    assert.equal(got.get('/s/|wrong secret header'), 4);
    assert.equal(got.get('/s/|missing secret header'), 2);
    assert.equal(got.get('/ip-no/|ip not allowed'), 2);
    assert.equal(got.get('/all/|missing secret header'), 1);
    assert.equal(got.get('/all/|wrong secret header'), 1);
    assert.equal(got.get('/all/|missing signature'), 1);
    assert.equal(got.get('/all/|bad signature'), 1);
  });
});

test('trustProxy: X-Forwarded-For names the viewer as far as the trusted hops vouch', async (t) => {
  const origin = await accessOrigin(t, OBJECTS);
  const blocks = [accessBlock(origin, '/ten/', { allowIps: ['10.0.0.0/8'] })];
  const trustAll = await accessProxy(t, blocks, { server: { trustProxy: true } });
  const trustLocal = await accessProxy(t, blocks, { server: { trustProxy: ['127.0.0.1'] } });
  const trustOther = await accessProxy(t, blocks, { server: { trustProxy: ['192.0.2.0/24'] } });
  const oneHop = await accessProxy(t, blocks, { server: { trustProxy: 1 } });

  await t.test('true', async () => {
    const c = checker(trustAll, origin);
    await c.ok('/ten/file.txt', { 'x-forwarded-for': '10.1.2.3' });
    await c.ok('/ten/file.txt', { 'x-forwarded-for': '10.1.2.3, 192.168.7.7' });
    await c.denied('/ten/file.txt', { 'x-forwarded-for': '192.168.7.7' }, 'ip not allowed');
    await c.denied('/ten/file.txt', {}, 'ip not allowed');
  });
  await t.test('a list naming the peer', async () => {
    const c = checker(trustLocal, origin);
    await c.ok('/ten/file.txt', { 'x-forwarded-for': '10.1.2.3' });
    await c.denied('/ten/file.txt', { 'x-forwarded-for': '10.1.2.3, 192.168.7.7' }, 'ip not allowed');
  });
  await t.test('a list not naming the peer: X-Forwarded-For is ignored', async () => {
    await checker(trustOther, origin).denied('/ten/file.txt', { 'x-forwarded-for': '10.1.2.3' }, 'ip not allowed');
  });
  await t.test('one hop', async () => {
    const c = checker(oneHop, origin);
    await c.ok('/ten/file.txt', { 'x-forwarded-for': '192.168.7.7, 10.1.2.3' });
    await c.denied('/ten/file.txt', { 'x-forwarded-for': '10.1.2.3, 192.168.7.7' }, 'ip not allowed');
  });
});

// Without baseUrl the signed URL is judged with the scheme the viewer used; X-Forwarded-Proto may
// only change it when it comes from a trusted proxy, like X-Forwarded-For.
test('X-Forwarded-Proto counts only from a trusted peer', async (t) => {
  const origin = await accessOrigin(t, OBJECTS);
  const keys = rsa2048Keys(t);
  const blocks = [accessBlock(origin, '/u/', { signedUrls: { keys } })];
  const trusted = await accessProxy(t, blocks, { server: { trustProxy: ['127.0.0.1'] } });
  const untrusted = await accessProxy(t, blocks, { server: { trustProxy: ['192.0.2.0/24'] } });
  const httpsUrl = (port: number): string => rsa2048SignedPath(`https://127.0.0.1:${port}/u/file.txt`);
  await checker(trusted, origin).ok(httpsUrl(trusted.port), { 'x-forwarded-proto': 'https' });
  await checker(trusted, origin).denied(httpsUrl(trusted.port), {}, 'bad signature');

  await t.test('an untrusted peer cannot pick the scheme', {}, async () => {
    await checker(untrusted, origin).denied(httpsUrl(untrusted.port), { 'x-forwarded-proto': 'https' }, 'bad signature');
  });
});

test('includeHeaders naming the secret header is a config error', (t) => {
  const dir = tempDir(t);
  const block = (extra: string): string => `  - path: /s/
    upstream: { bucket: access-bucket, region: us-east-1, endpoint: "http://localhost:9" }
    credentials: { accessKeyId: AKIDACCESSCHECK0001, secretAccessKey: check-secret-value }
    signing:
      includeHeaders: [range, X-Origin-Secret]
${extra}`;
  const own = `proxies:\n${block(`    access:\n      requireHeader: { name: x-origin-secret, values: [${OLD}] }\n`)}`;
  const inherited = `access:\n  requireHeader: { name: X-ORIGIN-SECRET, values: [${OLD}] }\nproxies:\n${block('')}`;
  for (const [what, yaml] of [['its own access', own], ['the top-level access', inherited]] as const) {
    const file = writeFile(dir, `${what.replace(/\W/g, '-')}.yaml`, yaml);
    const r = spawnSync(binPath, ['check', file], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 1, `${what}: ${r.stdout}${r.stderr}`);
    const line = yaml.split('\n').findIndex((l) => l.includes('includeHeaders')) + 1;
    assert.match(r.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${line}:\\d+\\s+proxies\\[0\\]\\.signing\\.includeHeaders: x-origin-secret is the access\\.requireHeader secret`), what);
    assert.ok(!r.stderr.includes(OLD) && !r.stdout.includes(OLD), 'the secret is not echoed');
  }
});
