// README `retry`: a GET/HEAD that gets 503 (SlowDown) or whose connection breaks before an answer
// is retried, each attempt signed afresh; writes are never retried; `attempts: 0` turns it off;
// after `attempts` retries the viewer gets the store's own 503 with its XML. A scripted relay sits
// between the proxy and the strict origin: it forwards every request byte for byte (the strict
// origin still verifies each signature) and, when told, answers 503 SlowDown instead of the
// store's answer, or resets the connection before answering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { raw } from '../support/origin-client.js';
import { scrape, series, sum, value } from '../support/ops-prom.js';
import { SLOW_DOWN, startRelay } from '../support/ops-relay.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

const BUCKET = 'retry-bucket';
const KEYS = { accessKeyId: 'AKIDOPSRETRY000001', secretAccessKey: 'ops/retry+secret=0123456789abcdef' };
const RETRYABLE = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

test('retries: 503 and reset re-signed and retried, writes never, attempts: 0 off, the last 503 passed on', { timeout: 90_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  for (const k of ['a.txt', 'b.txt', 'c.txt', 'd.txt']) await origin.putObject(BUCKET, k, `object ${k}\n`, { contentType: 'text/plain' });
  const relay = await startRelay(t, origin.port);
  const block = (path: string, retry: Record<string, number> | undefined) =>
    blockFor(relay.port, { path, bucket: BUCKET, version: 'v4', mode: 'header', addressing: 'path', credentials: 'reader', methods: ['GET', 'HEAD', 'PUT'], ...(retry ? { extra: { retry } } : {}) });
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    credentials: { reader: KEYS },
    proxies: [block('/r/', undefined), block('/n/', { attempts: 0 }), block('/q/', { attempts: 2, baseDelay: 0.2, maxDelay: 1 })],
  });
  const mark = () => ({ relay: relay.seen.length, origin: origin.requests.length });
  const since = (m: ReturnType<typeof mark>) => ({ relay: relay.seen.slice(m.relay), origin: origin.requests.slice(m.origin) });

  await t.test('a GET answered 503 SlowDown once: retried, signed afresh, the viewer gets 200', async () => {
    const m = mark();
    relay.script.push(SLOW_DOWN);
    const res = await raw(proxy.port, { path: '/r/a.txt' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text, 'object a.txt\n');
    const { relay: seen, origin: reached } = since(m);
    assert.deepEqual(seen.map((r) => r.status), [503, 200]);
    assert.equal(reached.length, 2, 'the store saw both attempts');
    assert.deepEqual(reached.map((r) => [r.method, r.status, r.auth]), [['GET', 200, 'v4-header'], ['GET', 200, 'v4-header']], 'both validly signed');
    const dates = reached.map((r) => String(r.headers['x-amz-date']));
    assert.notEqual(dates[0], dates[1], 'the retry carries a new x-amz-date (it waited at least baseDelay: 1 s)');
    assert.notEqual(reached[0]!.headers.authorization, reached[1]!.headers.authorization, 'and a new signature');
    const metrics = await scrape(proxy.adminUrl);
    assert.equal(value(metrics, 'origin_signer_upstream_retries_total', { block: '/r/', reason: '503' }), 1);
    assert.equal(value(metrics, 'origin_signer_requests_total', { block: '/r/', method: 'GET', status_class: '2xx' }), 1);
  });

  await t.test('a connection reset before any answer: retried once at once', async () => {
    const m = mark();
    relay.script.push('reset');
    const res = await raw(proxy.port, { path: '/r/b.txt' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text, 'object b.txt\n');
    const { relay: seen, origin: reached } = since(m);
    assert.deepEqual(seen.map((r) => r.action === 'reset' ? 'reset' : r.status), ['reset', 200]);
    assert.equal(reached.length, 1, 'the reset request never reached the store');
    const retries = series(await scrape(proxy.adminUrl), 'origin_signer_upstream_retries_total', { block: '/r/' }).filter((s) => s.labels.reason !== '503');
    assert.equal(retries.length, 1, JSON.stringify(retries));
    assert.ok(RETRYABLE.has(retries[0]!.labels.reason!), `reason ${retries[0]!.labels.reason}`);
    assert.equal(retries[0]!.value, 1);
  });

  await t.test('a PUT (body streamed) answered 503 is not retried', async () => {
    const m = mark();
    const before = sum(await scrape(proxy.adminUrl), 'origin_signer_upstream_retries_total');
    relay.script.push(SLOW_DOWN);
    const body = Buffer.alloc(100_000, 7);
    const res = await raw(proxy.port, { method: 'PUT', path: '/r/up.bin', headers: { 'content-length': body.length, 'content-type': 'application/octet-stream' }, body });
    assert.equal(res.status, 503, res.text);
    assert.match(res.text, /<Code>SlowDown<\/Code>/);
    const { relay: seen, origin: reached } = since(m);
    assert.equal(seen.length, 1, 'one attempt only');
    assert.deepEqual(reached.map((r) => [r.method, r.bytesIn]), [['PUT', body.length]]);
    assert.equal(sum(await scrape(proxy.adminUrl), 'origin_signer_upstream_retries_total'), before);
  });

  await t.test('retry.attempts: 0 turns retries off', async () => {
    const m = mark();
    relay.script.push(SLOW_DOWN);
    const res = await raw(proxy.port, { path: '/n/c.txt' });
    assert.equal(res.status, 503);
    assert.match(res.text, /<Code>SlowDown<\/Code>/);
    assert.equal(since(m).relay.length, 1);
    assert.equal(sum(await scrape(proxy.adminUrl), 'origin_signer_upstream_retries_total', { block: '/n/' }), 0);
  });

  await t.test('after `attempts` retries the viewer gets the store\'s 503 with its XML body', async () => {
    const m = mark();
    relay.script.push(SLOW_DOWN, SLOW_DOWN, SLOW_DOWN);
    const res = await raw(proxy.port, { path: '/q/d.txt' });
    assert.equal(res.status, 503);
    assert.match(String(res.headers['content-type']), /application\/xml/);
    assert.match(res.text, /^<\?xml[^>]*>\n<Error><Code>SlowDown<\/Code><Message>Please reduce your request rate\.<\/Message>/);
    const { relay: seen, origin: reached } = since(m);
    assert.deepEqual(seen.map((r) => r.status), [503, 503, 503], '1 + attempts (2)');
    assert.ok(reached.every((r) => r.status === 200) && reached.length === 3, 'each attempt was validly signed');
    assert.equal(relay.script.length, 0);
    assert.equal(value(await scrape(proxy.adminUrl), 'origin_signer_upstream_retries_total', { block: '/q/', reason: '503' }), 2);
    // And a HEAD that gets one 503 is retried too.
    const h = mark();
    relay.script.push(SLOW_DOWN);
    const head = await raw(proxy.port, { method: 'HEAD', path: '/q/d.txt' });
    assert.equal(head.status, 200);
    assert.equal(since(h).relay.length, 2);
  });
});
