// README "Operations → Health" and `readiness`: /readyz follows the readiness.probe object (ready
// while it exists, 503 with a `probe` check naming the store's status once it is deleted, ready
// again when it is back) and the credential sets (503 while a set has no valid credentials, ready
// once it has); /healthz answers 200 throughout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { OriginKeyRing, cleanAwsEnv } from '../support/creds-helpers.js';
import { Issuer, startFakeImds } from '../support/fake-aws.js';
import { raw, s3 } from '../support/origin-client.js';
import { healthz, readyz, until } from '../support/ops-prom.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

const BUCKET = 'ready-bucket';
const KEYS = { accessKeyId: 'AKIDOPSREADY000001', secretAccessKey: 'ops/ready+secret=0123456789abcdef' };

test('readiness.probe: ready while the canary exists, 503 naming the status once deleted, ready again', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'canary.txt', 'alive\n', { contentType: 'text/plain' });
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    readiness: { probe: '/p/canary.txt', timeout: 5 },
    credentials: { reader: KEYS },
    proxies: [blockFor(origin.port, { bucket: BUCKET, version: 'v4', mode: 'header', credentials: 'reader' })],
  });

  const up = await readyz(proxy.adminUrl);
  assert.equal(up.status, 200, JSON.stringify(up.body));
  assert.equal(up.body.ready, true);
  assert.deepEqual(up.body.checks.probe, { ok: true, detail: 'HEAD /p/canary.txt → 200' });
  assert.equal(up.body.checks['credentials:reader']?.ok, true);
  assert.equal(up.body.checks.config?.ok, true);
  // The probe is a signed HEAD the strict origin accepted.
  const probes = origin.requests.filter((r) => r.method === 'HEAD' && r.url.endsWith('/canary.txt'));
  assert.ok(probes.length >= 1 && probes.every((r) => r.status === 200 && r.auth === 'v4-header'));

  // Deleted at the origin (directly, signed with the origin's own keys).
  const del = await s3(origin, { method: 'DELETE', path: `/${BUCKET}/canary.txt`, creds: KEYS });
  assert.equal(del.status, 204);
  const down = await readyz(proxy.adminUrl);
  assert.equal(down.status, 503, JSON.stringify(down.body));
  assert.equal(down.body.ready, false);
  assert.deepEqual(down.body.checks.probe, { ok: false, detail: 'HEAD /p/canary.txt → 404' });
  assert.equal(down.body.checks['credentials:reader']?.ok, true, 'only the probe fails');
  assert.equal(await healthz(proxy.adminUrl), 200);
  // Viewers are still served (readiness is for the load balancer, not a switch).
  assert.equal((await raw(proxy.port, { path: '/p/canary.txt' })).status, 404);

  await origin.putObject(BUCKET, 'canary.txt', 'alive again\n', { contentType: 'text/plain' });
  const back = await readyz(proxy.adminUrl);
  assert.equal(back.status, 200, JSON.stringify(back.body));
  assert.equal(back.body.checks.probe?.ok, true);
  assert.equal(await healthz(proxy.adminUrl), 200);
});

test('credentials: /readyz 503 while a set has no valid credentials (IMDS failing from the start), ready once it has', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'a.txt', 'hello\n', { contentType: 'text/plain' });
  const ring = new OriginKeyRing(t, origin, 50);
  ring.static(KEYS);
  const issuer = ring.issuer(new Issuer('ASIAOPSREADY', 3600_000, () => ring.sync()));
  const imds = await startFakeImds(t, issuer);
  imds.failing = true;
  const proxy = await startProxyCli(
    t,
    {
      server: { host: '127.0.0.1', port: 0 },
      credentials: { reader: KEYS, box: { source: 'instance-metadata', endpoint: imds.url } },
      proxies: [
        blockFor(origin.port, { path: '/s/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: 'reader' }),
        blockFor(origin.port, { path: '/b/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: 'box' }),
      ],
    },
    cleanAwsEnv(t),
  );
  assert.equal(issuer.issued.length, 0);
  assert.equal(await healthz(proxy.adminUrl), 200);
  const notReady = await readyz(proxy.adminUrl);
  assert.equal(notReady.status, 503, JSON.stringify(notReady.body));
  assert.equal(notReady.body.ready, false);
  assert.equal(notReady.body.checks['credentials:box']?.ok, false);
  assert.match(notReady.body.checks['credentials:box']?.detail ?? '', /IMDSv2 token request answered 500/);
  assert.equal(notReady.body.checks['credentials:reader']?.ok, true, 'the static set is fine');
  assert.equal((await raw(proxy.port, { path: '/s/a.txt' })).status, 200, 'the static block serves meanwhile');
  assert.equal((await raw(proxy.port, { path: '/b/a.txt' })).status, 503);
  assert.equal(await healthz(proxy.adminUrl), 200);

  // IMDS recovers: the provider's retry (backoff from 1 s) fetches keys, and the pod is ready.
  imds.failing = false;
  const ready = await until('ready after IMDS recovered', () => readyz(proxy.adminUrl), (r) => r.status === 200, 30_000);
  assert.equal(ready.body.checks['credentials:box']?.ok, true);
  assert.match(ready.body.checks['credentials:box']?.detail ?? '', /^expires \d{4}-/);
  assert.equal(issuer.issued.length, 1);
  assert.equal((await raw(proxy.port, { path: '/b/a.txt' })).status, 200);
  assert.equal(await healthz(proxy.adminUrl), 200);
});
