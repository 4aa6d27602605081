// README "Shield cache → Admin API": two cached blocks may share a path when `hosts` tells them
// apart. A purge naming the path only reached the first of them and answered success; now
// `"host"` picks the block that serves that Host, and without it every block at the path is
// purged and the answer says how many (`"blocks": 2`).
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { CREDS, origin as startOrigin, raw } from '../support/origin-client.js';
import { shieldConfig, startShieldProxy, type ShieldProxy } from '../support/shield-e2e.js';
import type { StrictOrigin } from '@origin-signer/strict-origin';

async function fixture(t: TestContext): Promise<{ origin: StrictOrigin; p: ShieldProxy }> {
  const origin = await startOrigin(t, { buckets: ['bucket-a', 'bucket-b'], credentials: [CREDS] });
  for (const k of ['k.txt', 'j.txt']) {
    await origin.putObject('bucket-a', k, `A ${k} one`);
    await origin.putObject('bucket-b', k, `B ${k} one`);
  }
  const p = await startShieldProxy(
    t,
    shieldConfig(origin.port, {
      stores: { memory: { maxSize: '16MiB' } },
      blocks: [
        { path: '/files/', bucket: 'bucket-a', cache: { ttl: '1h' }, extra: { hosts: ['a.example'] } },
        { path: '/files/', bucket: 'bucket-b', cache: { ttl: '1h' }, extra: { hosts: ['b.example'] } },
      ],
    }),
  );
  for (const host of ['a.example', 'b.example']) for (const k of ['k.txt', 'j.txt']) await read(p, host, k);
  // Both change behind the proxy; the operator purges.
  for (const k of ['k.txt', 'j.txt']) {
    await origin.putObject('bucket-a', k, `A ${k} two`);
    await origin.putObject('bucket-b', k, `B ${k} two`);
  }
  return { origin, p };
}

const read = async (p: ShieldProxy, host: string, key: string): Promise<string> => (await raw(p.port, { path: `/files/${key}`, headers: { host } })).text;

async function purge(p: ShieldProxy, body: object): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(`${p.adminUrl}/cache/purge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

test('"host" purges a key in the block serving that host only', async (t) => {
  const { p } = await fixture(t);
  assert.deepEqual(await purge(p, { block: '/files/', host: 'B.example:8080', key: 'k.txt' }), { status: 200, json: { purged: 1 } });
  assert.equal(await read(p, 'b.example', 'k.txt'), 'B k.txt two');
  assert.equal(await read(p, 'a.example', 'k.txt'), 'A k.txt one', 'the other block keeps its copy');
});

test('"host" with no key purges that block only', async (t) => {
  const { p } = await fixture(t);
  assert.deepEqual(await purge(p, { block: '/files/', host: 'b.example' }), { status: 200, json: { purged: 2 } });
  assert.equal(await read(p, 'b.example', 'j.txt'), 'B j.txt two');
  assert.equal(await read(p, 'a.example', 'j.txt'), 'A j.txt one');
});

test('without "host", every block at the path is purged and the answer counts them', async (t) => {
  const { p } = await fixture(t);
  assert.deepEqual(await purge(p, { block: '/files/', key: 'k.txt' }), { status: 200, json: { purged: 2, blocks: 2 } });
  assert.equal(await read(p, 'a.example', 'k.txt'), 'A k.txt two');
  assert.equal(await read(p, 'b.example', 'k.txt'), 'B k.txt two');
  assert.equal(await read(p, 'b.example', 'j.txt'), 'B j.txt one', 'only that key');
});

test('a host no block at the path serves is a 400', async (t) => {
  const { p } = await fixture(t);
  for (const body of [{ block: '/files/', host: 'c.example', key: 'k.txt' }, { block: '/files/', host: 7 }]) {
    const r = await purge(p, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(typeof r.json.error, 'string');
  }
});
