// README "Operations → Metrics": after a known set of requests through the CLI, /metrics on the
// admin listener shows exactly those counts — requests by block/method/status class, the proxy's
// own refusals by code, the response and upload bytes, upstream latency observations, nothing in
// flight — plus the credential sets' state (a static set, an IMDS set with its expiry, an IMDS set
// whose refreshes fail), config reloads by result and the upstream pool's connections.
import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { OriginKeyRing, cleanAwsEnv, configFileOf } from '../support/creds-helpers.js';
import { Issuer, startFakeImds } from '../support/fake-aws.js';
import { raw, type Res } from '../support/origin-client.js';
import { scrape, series, sum, until, value } from '../support/ops-prom.js';
import { blockFor, startProxyCli, withTestAdmin } from '../support/proxy-cli.js';
import { waitForLog } from '../support/access-lines.js';

const BUCKET = 'metrics-bucket';
const KEYS = { accessKeyId: 'AKIDOPSMETRICS0001', secretAccessKey: 'ops/metrics+secret=0123456789abcdef' };
const BOX_LIFETIME_S = 3600;
const FLAKY_LIFETIME_MS = 6000;

test('/metrics counts exactly the traffic sent, the credential sets, reloads and pools', { timeout: 90_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const ring = new OriginKeyRing(t, origin, 50);
  ring.static(KEYS);
  const bodies = { 'a.txt': randomFillSync(Buffer.alloc(1234)), 'b.bin': randomFillSync(Buffer.alloc(5000)), 'c.bin': randomFillSync(Buffer.alloc(200_000)) };
  for (const [k, b] of Object.entries(bodies)) await origin.putObject(BUCKET, k, b, { contentType: 'application/octet-stream' });
  const boxIssuer = ring.issuer(new Issuer('ASIAOPSBOX', BOX_LIFETIME_S * 1000, () => ring.sync()));
  const flakyIssuer = ring.issuer(new Issuer('ASIAOPSFLAKY', FLAKY_LIFETIME_MS, () => ring.sync()));
  const boxImds = await startFakeImds(t, boxIssuer);
  const flakyImds = await startFakeImds(t, flakyIssuer);

  const config = {
    server: { host: '127.0.0.1', port: 0 },
    credentials: {
      static: KEYS,
      box: { source: 'instance-metadata', endpoint: boxImds.url },
      flaky: { source: 'instance-metadata', endpoint: flakyImds.url },
    },
    proxies: [
      blockFor(origin.port, { path: '/m/', bucket: BUCKET, version: 'v4', mode: 'header', addressing: 'path', credentials: 'static', methods: ['GET', 'HEAD', 'PUT'] }),
      blockFor(origin.port, { path: '/i/', bucket: BUCKET, version: 'v4', mode: 'header', addressing: 'path', credentials: 'box' }),
      blockFor(origin.port, { path: '/f/', bucket: BUCKET, version: 'v4', mode: 'header', addressing: 'path', credentials: 'flaky' }),
    ],
  };
  const proxy = await startProxyCli(t, config, cleanAwsEnv(t));
  flakyImds.failing = true; // every refresh of "flaky" fails from now on
  const startedAt = Date.now();

  // The traffic: 3 GETs 200, 1 HEAD 200, 1 missing key (the store's 404), 1 `..` (400), 1 DELETE
  // (405: not in methods), 1 upload.
  const upload = randomFillSync(Buffer.alloc(3000));
  const responses: Array<{ what: string; res: Res; proxied: boolean }> = [];
  const send = async (what: string, proxied: boolean, o: Parameters<typeof raw>[1], status: number): Promise<void> => {
    const res = await raw(proxy.port, o);
    assert.equal(res.status, status, `${what}: ${res.text.slice(0, 300)}`);
    responses.push({ what, res, proxied });
  };
  for (const k of Object.keys(bodies)) await send(`GET ${k}`, true, { path: `/m/${k}` }, 200);
  await send('HEAD', true, { method: 'HEAD', path: '/m/a.txt' }, 200);
  await send('missing', true, { path: '/m/missing.txt' }, 404);
  await send('dot-dot', false, { path: '/m/x/../a.txt' }, 400);
  await send('DELETE', false, { method: 'DELETE', path: '/m/a.txt' }, 405);
  await send('PUT', true, { method: 'PUT', path: '/m/up.bin', headers: { 'content-type': 'application/octet-stream', 'content-length': upload.length }, body: upload }, 200);
  for (const [k, b] of Object.entries(bodies)) assert.ok(responses.find((r) => r.what === `GET ${k}`)!.res.body.equals(b));
  assert.ok((await origin.getObject(BUCKET, 'up.bin'))?.equals(upload));
  assert.match(responses.find((r) => r.what === 'missing')!.res.text, /<Code>NoSuchKey<\/Code>/);

  const m = await scrape(proxy.adminUrl);
  const block = { block: '/m/' };
  const requests = 'origin_signer_requests_total';
  assert.equal(value(m, requests, { ...block, method: 'GET', status_class: '2xx' }), 3);
  assert.equal(value(m, requests, { ...block, method: 'HEAD', status_class: '2xx' }), 1);
  assert.equal(value(m, requests, { ...block, method: 'GET', status_class: '4xx' }), 2);
  assert.equal(value(m, requests, { ...block, method: 'DELETE', status_class: '4xx' }), 1);
  assert.equal(value(m, requests, { ...block, method: 'PUT', status_class: '2xx' }), 1);
  assert.equal(sum(m, requests), 8, 'no other request was counted');
  assert.equal(m.types.get('origin_signer_requests_total'), 'counter');

  assert.equal(value(m, 'origin_signer_refused_total', { ...block, code: 'OS_ERR_KEY_DOT_SEGMENT' }), 1);
  assert.equal(value(m, 'origin_signer_refused_total', { ...block, code: 'OS_ERR_METHOD_NOT_ALLOWED' }), 1);
  assert.equal(sum(m, 'origin_signer_refused_total'), 2, "the store's own 404 is not a refusal");
  assert.equal(sum(m, 'origin_signer_upstream_errors_total'), 0);

  // Body bytes the proxy passed from the store to the viewers (the proxy's own JSON refusals are
  // not store responses; HEAD has no body).
  const proxiedBytes = responses.filter((r) => r.proxied).reduce((a, r) => a + r.res.body.length, 0);
  assert.equal(proxiedBytes, 1234 + 5000 + 200_000 + responses.find((r) => r.what === 'missing')!.res.body.length);
  assert.equal(value(m, 'origin_signer_response_bytes_total', block), proxiedBytes);
  assert.equal(value(m, 'origin_signer_upload_bytes_total', block), upload.length);

  assert.equal(m.types.get('origin_signer_upstream_duration_seconds'), 'histogram');
  assert.equal(value(m, 'origin_signer_upstream_duration_seconds_count', block), 6, 'one observation per request that reached the store');
  assert.ok(value(m, 'origin_signer_upstream_duration_seconds_sum', block)! > 0);
  assert.equal(value(m, 'origin_signer_upstream_duration_seconds_bucket', { ...block, le: '+Inf' }), 6);
  assert.equal(value(m, 'origin_signer_request_duration_seconds_count', block), 8);
  assert.equal(value(m, 'origin_signer_requests_in_flight'), 0);

  // Credential sets.
  assert.equal(value(m, 'origin_signer_credentials_valid', { set: 'static' }), 1);
  assert.equal(value(m, 'origin_signer_credentials_valid', { set: 'box' }), 1);
  assert.equal(value(m, 'origin_signer_credentials_expiry_seconds', { set: 'static' }), undefined, 'static keys do not expire');
  const boxExpiry = value(m, 'origin_signer_credentials_expiry_seconds', { set: 'box' });
  const elapsed = (Date.now() - startedAt) / 1000;
  assert.ok(boxExpiry !== undefined && boxExpiry <= BOX_LIFETIME_S && boxExpiry >= BOX_LIFETIME_S - elapsed - 30, `box expiry ${boxExpiry} s, lifetime ${BOX_LIFETIME_S} s`);
  assert.equal(value(m, 'origin_signer_credentials_refreshes_total', { set: 'box' }), 1);
  assert.equal(boxIssuer.issued.length, 1);

  // "flaky": its first fetch worked, every refresh after it fails.
  const failed = await until(
    'a refresh failure of "flaky" counted',
    () => scrape(proxy.adminUrl),
    (e) => (value(e, 'origin_signer_credentials_refresh_failures_total', { set: 'flaky' }) ?? 0) >= 1,
    30_000,
  );
  const failures = value(failed, 'origin_signer_credentials_refresh_failures_total', { set: 'flaky' })!;
  assert.ok(failures >= 1);
  assert.equal(value(failed, 'origin_signer_credentials_refreshes_total', { set: 'flaky' }), 1, 'the first fetch is the one success');
  assert.ok(value(failed, 'origin_signer_credentials_consecutive_failures', { set: 'flaky' })! >= 1);
  assert.equal(value(failed, 'origin_signer_credentials_refresh_failures_total', { set: 'box' }) ?? 0, 0);
  assert.equal(value(failed, 'origin_signer_credentials_consecutive_failures', { set: 'static' }), 0);
  assert.equal(flakyIssuer.issued.length, 1);
  // The log line travels over the proxy's stdout pipe, the scrape over HTTP: the scrape can be
  // read first (seen once on a loaded machine), so the lines get a moment to arrive.
  const flakyFailureLines = (): number => proxy.logs().filter((l) => l.msg === 'credentials refresh failed' && l.credentials === 'flaky').length;
  const lines = await until('the log lines of the counted failures', async () => flakyFailureLines(), (n) => n >= failures, 5_000).catch(() => flakyFailureLines());
  assert.ok(lines >= failures, `each counted failure has its log line (${lines} lines, ${failures} failures)`);

  // Reloads: the same file again (applied), then a broken one (refused).
  const file = configFileOf(proxy);
  let from = proxy.logs().length;
  process.kill(proxy.pid, 'SIGHUP');
  await waitForLog(proxy, (l) => l.msg === 'config reloaded', 15_000, from);
  writeFileSync(file, withTestAdmin(stringify({ ...config, proxies: [{ path: '/m/', upstream: { bucket: BUCKET }, credentials: 'nope' }] })));
  from = proxy.logs().length;
  process.kill(proxy.pid, 'SIGHUP');
  await waitForLog(proxy, (l) => typeof l.msg === 'string' && l.msg.startsWith('config reload refused'), 15_000, from);
  const after = await scrape(proxy.adminUrl);
  assert.equal(value(after, 'origin_signer_config_reloads_total', { result: 'applied' }), 1);
  assert.equal(value(after, 'origin_signer_config_reloads_total', { result: 'refused' }), 1);

  // The pool to the origin (path-style: one origin for every block).
  const poolOrigin = `http://localhost:${origin.port}`;
  const pool = series(after, 'origin_signer_pool_connections', { origin: poolOrigin });
  assert.deepEqual(pool.map((s) => s.labels.state).sort(), ['connected', 'free']);
  assert.deepEqual(series(after, 'origin_signer_pool_requests', { origin: poolOrigin }).map((s) => s.labels.state).sort(), ['pending', 'running']);
  assert.equal(value(after, 'origin_signer_pool_requests', { origin: poolOrigin, state: 'running' }), 0);
  assert.equal(value(after, 'origin_signer_pool_requests', { origin: poolOrigin, state: 'pending' }), 0);
  assert.ok(series(after, 'origin_signer_pool_connections').every((s) => s.labels.origin === poolOrigin), 'no pool to any other origin');
  // After the reload the traffic counters are still the same (one registry for the process).
  assert.equal(sum(after, requests), 8);
});
