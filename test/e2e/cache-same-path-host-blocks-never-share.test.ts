// Regression (hunt, 2026-12-07): two blocks on one path for different `hosts`, each an access point
// behind the same upstream.endpoint, had the same cache keys (endpoint origin + '/key'): one
// tenant's object was served as a HIT to the other tenant's viewers, where the store says 404.
// Keys now hold the signed Host and the block's viewer hosts (cache-key.ts scopeOf).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CREDS, origin as startOrigin, raw } from '../support/origin-client.js';
import { startShieldProxy } from '../support/shield-e2e.js';

test('same-path blocks for other hosts and access points never share cache entries', { timeout: 60_000 }, async (t) => {
  const origin = await startOrigin(t, { buckets: ['tenant-one', 'tenant-two'] });
  origin.createAccessPoint({ name: 'ap-one', account: '123456789012', region: 'us-east-1', bucket: 'tenant-one' });
  origin.createAccessPoint({ name: 'ap-two', account: '123456789012', region: 'us-east-1', bucket: 'tenant-two' });
  await origin.putObject('tenant-one', 'report.pdf', 'tenant one private report');
  const endpoint = `http://localhost:${origin.port}`;
  const p = await startShieldProxy(t, {
    server: { host: '127.0.0.1', port: 0, admin: { host: '127.0.0.1', port: 0 } },
    log: { level: 'error' },
    cache: { memory: { maxSize: '16MiB' } },
    proxies: [
      { path: '/files/', hosts: ['one.example'], upstream: { accessPoint: 'arn:aws:s3:us-east-1:123456789012:accesspoint/ap-one', endpoint }, credentials: CREDS, cache: { ttl: '1h' }, access: { requireHeader: { name: 'x-tenant-secret', values: ['one-secret-value-123'] } } },
      { path: '/files/', hosts: ['two.example'], upstream: { accessPoint: 'arn:aws:s3:us-east-1:123456789012:accesspoint/ap-two', endpoint }, credentials: CREDS, cache: { ttl: '1h' } },
    ],
  });
  const before = await raw(p.port, { path: '/files/report.pdf', headers: { host: 'two.example' } });
  t.diagnostic(`two.example before: ${before.status} ${before.headers['x-cache']}`);
  assert.equal(before.status, 404);
  const one = await raw(p.port, { path: '/files/report.pdf', headers: { host: 'one.example', 'x-tenant-secret': 'one-secret-value-123' } });
  assert.equal(one.text, 'tenant one private report');
  const two = await raw(p.port, { path: '/files/report.pdf', headers: { host: 'two.example' } });
  t.diagnostic(`two.example after: ${two.status} ${two.headers['x-cache']} ${two.text}`);
  assert.equal(two.status, 404, "tenant two's viewer must not get tenant one's object");
});
