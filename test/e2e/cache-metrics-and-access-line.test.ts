// Issue #18, Visible: each read on a cached block says what the cache made of it — X-Cache, the
// access line's `cache` field, origin_signer_cache_requests_total{block,result} — and the bytes it
// sent count in origin_signer_cache_response_bytes_total{source}: "store" for the viewer whose read
// filled the entry, "cache" for every answer from a kept copy. A block may remove X-Cache
// (responseHeaders.remove); the access line and the metrics still say it. Through the CLI, whose
// access lines are read from its standard output.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessLineFor } from '../support/access-lines.js';
import { scrape, series, value } from '../support/ops-prom.js';
import { BUCKET, CREDS, origin as startOrigin, raw } from '../support/origin-client.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

const PLAIN = 'a plain object, fresh for the ttl\n';
const MUST_REVALIDATE = 'an object that says max-age=0\n';

interface Step {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly result: string;
  /** Body bytes the viewer gets. */
  readonly bytes: number;
  /** The answer carries X-Cache (its block does not remove it). */
  readonly tagged: boolean;
}

const STEPS: readonly Step[] = [
  { path: '/c/plain.txt', result: 'MISS', bytes: PLAIN.length, tagged: true },
  { path: '/c/plain.txt', result: 'HIT', bytes: PLAIN.length, tagged: true },
  { method: 'HEAD', path: '/c/plain.txt', result: 'HIT', bytes: 0, tagged: true },
  { path: '/c/plain.txt', headers: { range: 'bytes=0-4' }, result: 'HIT', bytes: 5, tagged: true },
  { path: '/c/max-age-0.txt', result: 'MISS', bytes: MUST_REVALIDATE.length, tagged: true },
  { path: '/c/max-age-0.txt', result: 'REVALIDATED', bytes: MUST_REVALIDATE.length, tagged: true },
  { path: '/swr/max-age-0.txt', result: 'MISS', bytes: MUST_REVALIDATE.length, tagged: true },
  { path: '/swr/max-age-0.txt', result: 'STALE', bytes: MUST_REVALIDATE.length, tagged: true },
  { path: '/quiet/plain.txt', result: 'MISS', bytes: PLAIN.length, tagged: false },
  { path: '/quiet/plain.txt', result: 'HIT', bytes: PLAIN.length, tagged: false },
];

test('X-Cache, the access line and the cache metrics agree with the reads made; responseHeaders.remove hides X-Cache', async (t) => {
  const origin = await startOrigin(t);
  await origin.putObject(BUCKET, 'plain.txt', PLAIN);
  await origin.putObject(BUCKET, 'max-age-0.txt', MUST_REVALIDATE, { headers: { 'cache-control': 'max-age=0' } });
  const block = (path: string, cache: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> =>
    blockFor(origin.port, { path, bucket: BUCKET, version: 'v4', mode: 'header', credentials: 'reader', extra: { cache, ...extra } });
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    log: { level: 'info' },
    credentials: { reader: CREDS },
    proxies: [
      block('/c/', { ttl: '1h' }),
      block('/swr/', { ttl: '1h', staleWhileRevalidate: '1h' }),
      block('/quiet/', { ttl: '1h' }, { responseHeaders: { remove: ['x-cache', 'x-amz-id-2', 'x-amz-request-id', 'server'] } }),
    ],
  });

  for (const step of STEPS) {
    const res = await raw(proxy.port, { method: step.method ?? 'GET', path: step.path, ...(step.headers ? { headers: step.headers } : {}) });
    const what = `${step.method ?? 'GET'} ${step.path} ${JSON.stringify(step.headers ?? {})}`;
    assert.equal(res.status, step.headers?.range ? 206 : 200, `${what}: ${res.text}`);
    assert.equal(res.body.length, step.bytes, what);
    assert.equal(res.headers['x-cache'], step.tagged ? step.result : undefined, what);
    assert.match(String(res.headers.age), /^\d+$/, `${what}: Age`);
    const line = await accessLineFor(proxy, res.headers['x-request-id']);
    assert.equal(line.cache, step.result, `${what}: the access line's cache field`);
    assert.equal(line.bytesOut, step.bytes, `${what}: the access line's bytesOut`);
  }

  const m = await scrape(proxy.adminUrl);
  for (const b of ['/c/', '/swr/', '/quiet/']) {
    const mine = STEPS.filter((s) => s.path.startsWith(b));
    const expected: Record<string, number> = {};
    for (const s of mine) expected[s.result] = (expected[s.result] ?? 0) + 1;
    const got: Record<string, number> = {};
    for (const s of series(m, 'origin_signer_cache_requests_total', { block: b })) got[s.labels.result!] = s.value;
    assert.deepEqual(got, expected, `origin_signer_cache_requests_total for ${b}`);
    const bytes = (source: string): number => mine.filter((s) => (source === 'store') === (s.result === 'MISS')).reduce((a, s) => a + s.bytes, 0);
    for (const source of ['store', 'cache']) {
      assert.equal(value(m, 'origin_signer_cache_response_bytes_total', { block: b, source }) ?? 0, bytes(source), `${b} bytes from the ${source}`);
    }
  }
});
