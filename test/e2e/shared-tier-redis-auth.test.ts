// README "Shield cache → Shared tier", failures: Redis refuses the password in cache.shared.url
// (redis-server --requirepass, another password in the URL). Requests are served from the store,
// the refusal is warned about once, and the password is in no log line (startProxyCli checks every
// line against the secret registry, which knows cache.shared.url's password) nor in `check`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { BUCKET, CREDS, origin as startOrigin, raw } from '../support/origin-client.js';
import { binPath } from '../support/paths.js';
import { blockFor, startProxyCli, writeConfig } from '../support/proxy-cli.js';
import { startRedis, redisSkipReason } from '../support/redis.js';
import { registerSecret, secretForms } from '../support/secret-registry.js';
import { storeGets } from '../support/shared-fleet.js';
import { waitFor } from '../support/wait-for.js';

const RIGHT = 'right-redis-password/0123+456';
const WRONG = 'wrong-redis-password/9876+543';

test('a refused Redis password: served from the store, warned once, the password never shown', { skip: redisSkipReason(), timeout: 60_000 }, async (t) => {
  registerSecret(RIGHT);
  const redis = await startRedis(t, { password: RIGHT });
  const origin = await startOrigin(t);
  for (const k of ['a.ts', 'b.ts']) await origin.putObject(BUCKET, k, `body of ${k}`);
  const url = `redis://:${encodeURIComponent(WRONG)}@127.0.0.1:${redis.port}/0`;
  const config = {
    server: { host: '127.0.0.1', port: 0 },
    cache: { shared: { url } },
    proxies: [blockFor(origin.port, { path: '/live/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: CREDS, extra: { cache: { ttl: '1h' } } })],
  };
  const proxy = await startProxyCli(t, config);

  for (let round = 0; round < 3; round++) {
    for (const k of ['a.ts', 'b.ts']) {
      const r = await raw(proxy.port, { path: `/live/${k}` });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.text, `body of ${k}`);
    }
  }
  for (const k of ['a.ts', 'b.ts']) assert.equal(storeGets(origin, k), 1, `${k}: one GET, then its own memory`);

  const warned = (): Array<Record<string, unknown>> => proxy.logs().filter((l) => l.level === 'warn' && String(l.msg).includes('shared cache'));
  await waitFor(() => warned().length > 0, 'the warning');
  // Several reconnection attempts later, still the one warning.
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(warned().length, 1, JSON.stringify(warned()));
  assert.match(String(warned()[0]!.reason), /WRONGPASS|NOAUTH|invalid/i);
  const ready = await fetch(`${proxy.adminUrl}/readyz`);
  assert.equal(ready.status, 200);
  const detail = JSON.stringify(await ready.json());
  assert.match(detail, /unavailable/);
  for (const form of [...secretForms(WRONG), ...secretForms(RIGHT)]) assert.ok(!detail.includes(form), '/readyz shows no password');
  assert.equal(redis.cli('DBSIZE'), '0', 'nothing reached Redis');

  // `check` prints the effective config with the URL's password masked.
  const checked = spawnSync(binPath, ['check', writeConfig(config)], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(checked.status, 0, checked.stderr);
  assert.match(checked.stdout, new RegExp(`url: redis://:\\*{8}@127\\.0\\.0\\.1:${redis.port}/0`));
  for (const form of secretForms(WRONG)) assert.ok(!checked.stdout.includes(form) && !checked.stderr.includes(form), 'check shows no password');
  // stop() is followed by the leak check over every line the proxy wrote.
  assert.equal(await proxy.stop(), 0);
});
