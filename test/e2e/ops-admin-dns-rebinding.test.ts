// Regression (hunt, 2026-12-07): the admin listener answered any Host, so a web page on an
// attacker's name resolving to the admin address (DNS rebinding) could read the status page (the
// config file, the stores, the credential sets' names) and POST /cache/purge. The status page and
// the cache API now answer only an address, `localhost` or a name in `server.admin.hosts` (403
// otherwise); /healthz, /readyz and /metrics answer any Host, as probes and scrapers need. With one
// process and with workers (the primary's admin listener).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

const BUCKET = 'rebind-bucket';
const KEYS = { accessKeyId: 'AKIDADMINREBIND0001', secretAccessKey: 'admin/rebind+secret=0123456789' };

function adminAsk(url: string, method: string, path: string, host: string, body?: string): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method, path, headers: { host, ...(body ? { 'content-type': 'application/json' } : {}) }, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

for (const workers of [1, 2]) {
  test(`the status page and the cache API answer only addresses, localhost and server.admin.hosts (workers: ${workers})`, { timeout: 60_000 }, async (t) => {
    const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
    t.after(() => origin.close());
    const proxy = await startProxyCli(t, {
      server: { host: '127.0.0.1', port: 0, workers, admin: { host: '127.0.0.1', port: 0, hosts: ['ops.example.com'] } },
      cache: { memory: { maxSize: '16MiB' } },
      proxies: [blockFor(origin.port, { path: '/live/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS, extra: { cache: { ttl: '1h' } } })],
    });
    const port = new URL(proxy.adminUrl).port;
    const purge = JSON.stringify({ block: '/live/' });
    // Percent-encoded spellings are routed to the same pages, so they are refused too (a review finding).
    const guarded: Array<[string, string, string?]> = [['GET', '/'], ['GET', '/status.json'], ['GET', '/%73tatus.json'], ['GET', '/cache/stats'], ['GET', '/%63ache/stats'], ['POST', '/cache/purge', purge]];
    for (const [method, path, body] of guarded) {
      for (const host of ['rebind.attacker.example', `rebind.attacker.example:${port}`, `ops.example.com.attacker.example:${port}`]) {
        const r = await adminAsk(proxy.adminUrl, method, path, host, body);
        assert.equal(r.status, 403, `${method} ${path} with Host ${host}: ${r.text.slice(0, 200)}`);
        assert.doesNotMatch(r.text, /rebind-bucket|AKID|live/, 'nothing of the status in the refusal');
      }
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'ops.example.com', `OPS.example.com:${port}`]) {
        const r = await adminAsk(proxy.adminUrl, method, path, host, body);
        assert.equal(r.status, 200, `${method} ${path} with Host ${host}: ${r.text.slice(0, 200)}`);
      }
    }
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const r = await adminAsk(proxy.adminUrl, 'GET', path, 'origin-signer-cluster', undefined);
      assert.equal(r.status, 200, `${path} answers a probe's Host`);
    }
  });
}
