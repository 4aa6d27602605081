// A fill detached by an invalidation, with the shared tier (review of the detach fix): one that
// ended this very turn, its shared puts still queued, shares nothing; one still waiting for another
// replica's fleet lock never takes it. A stand-in tier records what the shield asks of it; the
// store is a real HTTP server on port 0.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { Pool } from 'undici';
import type { Outcome } from '../../../src/cache/shield.js';
import { Shield } from '../../../src/cache/shield.js';
import type { FleetLock, SharedTier } from '../../../src/cache/shared-tier.js';

const BASE = '/b/\nhttp://store/obj';
const silent = { info() {}, warn() {}, error() {}, debug() {} };

/** What the shield did with the tier: puts, locks taken and released. `held`: a lock another replica holds. */
function standInTier(): { tier: SharedTier; puts: string[]; taken: string[]; released: Array<[string, boolean]>; held: Set<string>; wake(kept: boolean): void } {
  const puts: string[] = [];
  const taken: string[] = [];
  const released: Array<[string, boolean]> = [];
  const held = new Set<string>();
  const waiters = new Set<(r: 'done' | 'none') => void>();
  let n = 0;
  const tier = {
    lockMs: 60_000,
    timeoutMs: 1_000,
    maxObjectBytes: 1e9,
    set remote(_r: unknown) {},
    put: (k: string) => void puts.push(k),
    delete() {},
    invalidate: async () => 0,
    purgePrefix: async () => 0,
    watch: () => ({ next: () => new Promise<'done' | 'none'>((resolve) => waiters.add(resolve)), close() {} }),
    claim: async (ck: string) => {
      if (held.has(ck)) return { kind: 'held', ms: 60_000 };
      const token = `t${++n}`;
      taken.push(token);
      return { kind: 'lock', lock: { key: ck, token } };
    },
    release: (l: FleetLock & { token: string }, kept: boolean) => void released.push([l.token, kept]),
    status: () => ({}),
    close: async () => {},
  };
  const wake = (kept: boolean): void => {
    for (const w of waiters) w(kept ? 'done' : 'none');
    waiters.clear();
  };
  return { tier: tier as unknown as SharedTier, puts, taken, released, held, wake };
}

async function store(t: TestContext): Promise<Pool> {
  let n = 0;
  const server = createServer((_req, res) => {
    n++;
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=60', etag: `"v${n}"`, 'content-length': '2' });
    res.end(`v${n}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  t.after(async () => {
    await pool.close();
    server.close();
  });
  return pool;
}

function fillOf(shield: Shield, pool: Pool) {
  return shield.fill({
    collapseKey: BASE,
    storeKey: () => BASE,
    dispatcher: pool,
    origin: 'http://store',
    host: 'store',
    target: { path: '/obj', query: '' },
    rules: { ttlMs: 60_000, maxTtlMs: 1e9, notFoundTtlMs: 0, staleWhileRevalidateMs: 0, staleIfErrorMs: 0, keyQuery: [] },
    notFound: () => false,
    codeOf: () => undefined,
  } as unknown as Parameters<Shield['fill']>[0]);
}

const complete = (o: Outcome): Promise<void> =>
  o.kind !== 'body' || o.body.done ? Promise.resolve() : new Promise((resolve) => { const off = o.body.subscribe(() => { if (o.body.done) { off(); resolve(); } }); });
const nextTurns = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

test('a fill that ended this turn shares nothing when its object is dropped in the same turn', async (t) => {
  const pool = await store(t);
  const s = standInTier();
  const shield = new Shield({ memory: { maxBytes: 1e8, maxObjectBytes: 1e7 } } as never, { clock: Date.now, log: silent as never, shared: s.tier });
  const a = fillOf(shield, pool);
  await complete(await a.inflight.outcome);
  // Its puts go out on the next turn; a write's invalidation lands before that.
  await shield.invalidate(BASE);
  await nextTurns();
  assert.deepEqual(s.puts, [], 'the old entry was shared after the invalidation');
  assert.deepEqual(s.released, [['t1', false]], 'its lock goes as "nothing kept", so waiters fetch');
  assert.equal(shield.memory.get(BASE), undefined);
});

test('a fill detached while it waits for another replica\'s lock never takes it', async (t) => {
  const pool = await store(t);
  const s = standInTier();
  const shield = new Shield({ memory: { maxBytes: 1e8, maxObjectBytes: 1e7 } } as never, { clock: Date.now, log: silent as never, shared: s.tier });
  s.held.add(BASE);
  const a = fillOf(shield, pool);
  await nextTurns();
  await shield.invalidate(BASE);
  // The other replica ends (it says it shared an entry) and its lock is free.
  s.held.delete(BASE);
  s.wake(true);
  const o = await a.inflight.outcome;
  await complete(o);
  assert.equal(o.kind, 'body');
  assert.deepEqual(s.taken, [], 'the detached fill took the fleet lock');
  await nextTurns();
  assert.equal(shield.stats().fills, 0);
  assert.deepEqual(s.puts, []);
});
