// A proxy that has seen a bit of everything the dashboards and the status page show: GETs
// through a block (200 and the store's 404), an upload, a request that waited for the block's one upstream
// connection and gave up (OS_ERR_UPSTREAM_BUSY), one to a block whose store is down (an upstream
// error), a miss and a hit on a cached block, one no block serves, and credentials that expire (instance metadata) beside static keys.
import { randomFillSync } from 'node:crypto';
import type { TestContext } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { OriginKeyRing, cleanAwsEnv } from './creds-helpers.js';
import { Issuer, startFakeImds } from './fake-aws.js';
import { raw } from './origin-client.js';
import { scrape, sum, until } from './ops-prom.js';
import { blockFor, startProxyCli, type ProxyProcess } from './proxy-cli.js';
import { freePort, stalledViewer } from './sockets.js';

export const TRAFFIC_BUCKET = 'observed-bucket';
export const TRAFFIC_KEYS = { accessKeyId: 'AKIDOPSOBSERVED001', secretAccessKey: 'ops/observed+secret=0123456789abcdef' };
/** Viewer requests sent (the stalled viewer's included), each counted once in origin_signer_requests_total. */
export const TRAFFIC_REQUESTS = 11;

export interface ObservedProxy {
  readonly proxy: ProxyProcess;
  /** Every secret the proxy holds: none may appear on the admin listener. */
  readonly secrets: string[];
}

export async function startObservedProxy(t: TestContext): Promise<ObservedProxy> {
  const origin = await startStrictOrigin({ credentials: [TRAFFIC_KEYS], buckets: [TRAFFIC_BUCKET] });
  t.after(() => origin.close());
  const ring = new OriginKeyRing(t, origin, 50);
  ring.static(TRAFFIC_KEYS);
  const issuer = ring.issuer(new Issuer('ASIAOPSOBSERVED', 3600_000, () => ring.sync()));
  const imds = await startFakeImds(t, issuer);
  await origin.putObject(TRAFFIC_BUCKET, 'small.txt', 'small\n', { contentType: 'text/plain' });
  await origin.putObject(TRAFFIC_BUCKET, 'big.bin', randomFillSync(Buffer.alloc(20 * 1024 * 1024)));
  const dead = await freePort();
  const proxy = await startProxyCli(
    t,
    {
      server: { host: '127.0.0.1', port: 0 },
      credentials: { reader: TRAFFIC_KEYS, box: { source: 'instance-metadata', endpoint: imds.url } },
      proxies: [
        { ...blockFor(origin.port, { path: '/d/', bucket: TRAFFIC_BUCKET, version: 'v4', mode: 'header', addressing: 'path', credentials: 'box', methods: ['GET', 'HEAD', 'PUT'] }), pool: { connections: 1, queueTimeout: 0.3 } },
        blockFor(origin.port, { path: '/c/', bucket: TRAFFIC_BUCKET, version: 'v4', mode: 'header', addressing: 'path', credentials: 'reader', extra: { cache: { ttl: 60 } } }),
        blockFor(dead, { path: '/x/', bucket: TRAFFIC_BUCKET, version: 'v4', mode: 'header', addressing: 'path', credentials: 'reader', extra: { retry: { attempts: 0 } } }),
      ],
    },
    cleanAwsEnv(t),
  );

  for (let i = 0; i < 3; i++) expect(await raw(proxy.port, { path: '/d/small.txt' }), 200);
  expect(await raw(proxy.port, { path: '/d/missing.txt' }), 404);
  const upload = randomFillSync(Buffer.alloc(4096));
  expect(await raw(proxy.port, { method: 'PUT', path: '/d/up.bin', headers: { 'content-type': 'application/octet-stream', 'content-length': upload.length }, body: upload }), 200);
  // The block's one connection held by a viewer that stopped reading: the next request queues.
  const stalled = await stalledViewer(proxy.port, '/d/big.bin');
  expect(await raw(proxy.port, { path: '/d/small.txt' }), 503);
  stalled.destroy();
  expect(await raw(proxy.port, { path: '/x/small.txt' }), 502);
  // A cached block: a miss, then a hit.
  for (let i = 0; i < 2; i++) expect(await raw(proxy.port, { path: '/c/small.txt' }), 200);
  expect(await raw(proxy.port, { path: '/nowhere/small.txt' }), 404);
  // Counted when each response closes on the proxy's side, which can come after the viewer read it.
  await until('every request counted', () => scrape(proxy.adminUrl), (e) => sum(e, 'origin_signer_requests_total') === TRAFFIC_REQUESTS);
  return { proxy, secrets: [TRAFFIC_KEYS.secretAccessKey, ...issuer.issued.flatMap((c) => [c.secretAccessKey, c.sessionToken ?? ''])].filter((s) => s !== '') };
}

function expect(res: { status: number; text: string }, status: number): void {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
}
