// Issue #21, "Routing by object": three origin-signer replicas (the CLI, each with its own memory
// cache) behind a real nginx running the shipped deploy/nginx/consistent-hash.conf (only its
// replica list and listen address replaced, test/support/nginx.ts). Each object has one home
// replica, so 300 requests for 30 objects reach the store 30 times — whatever the spelling of the
// path (full or minimal percent-encoding, lower-case hex: nginx hashes the decoded $uri, the
// replica keys its cache on the decoded key), and with the path forwarded byte for byte (the
// strict origin verifies each signature against the key the replica read from it). Then one
// replica is killed (SIGKILL): only its objects move — the others' are still HITs at the same
// home with no store request — and each of its objects is fetched once by its new home.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessLineFor } from '../support/access-lines.js';
import { CACHE_BUCKET, cacheOrigin, cachedBlock, originReads } from '../support/cache-fixture.js';
import { minimalEncode } from '../support/awkward-keys.js';
import { encodeKey, raw, type Res } from '../support/origin-client.js';
import { consistentHashSite, nginxSkipReason, startNginx } from '../support/nginx.js';
import { startProxyCli, type ProxyProcess } from '../support/proxy-cli.js';
import { freePort } from '../support/sockets.js';

const HOST = 'media.example.test';
/** The address a CDN in front of nginx would have put in X-Forwarded-For. */
const VIEWER_IP = '203.0.113.7';
const REPLICAS = ['r1', 'r2', 'r3'] as const;
const KEYS: readonly string[] = [
  'with space.mp4',
  'plus+sign.ts',
  'equals=and&ampersand.txt',
  'parens (1).txt',
  'tilde~user.txt',
  'percent%25literal%20text.txt',
  'a%2Fb literal.txt',
  'double//slash///file.txt',
  'unicode/vidéo/日本語 ファイル.ts',
  'emoji 😀.txt',
  ...Array.from({ length: 20 }, (_, i) => `live/channel${i % 4}/seg_${String(i).padStart(3, '0')}.ts`),
];
const bodyOf = (key: string): string => `object ${key}\n`;

/** Three spellings of one key's path: every byte encoded; only what RFC 3986 forces; lower-case hex. */
const SPELLINGS: ReadonlyArray<(key: string) => string> = [
  encodeKey,
  minimalEncode,
  (key) => encodeKey(key).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
];

/** A deterministic shuffle (mulberry32), so a failure replays the same order. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface Answer {
  readonly key: string;
  readonly path: string;
  readonly requestId: string;
  readonly res: Res;
  readonly replica: string;
  readonly cache: string;
}

/** One round: every key once, in a shuffled order, `concurrency` at a time, through nginx. */
async function round(nginxPort: number, n: number, concurrency = 6): Promise<Answer[]> {
  const order = shuffled(KEYS, 0x21 + n);
  const answers: Answer[] = [];
  for (let i = 0; i < order.length; i += concurrency) {
    answers.push(
      ...(await Promise.all(
        order.slice(i, i + concurrency).map(async (key, j) => {
          const path = `/media/${SPELLINGS[(n + i + j) % SPELLINGS.length]!(key)}`;
          const requestId = `fleet-${n}-${i + j}`;
          const res = await raw(nginxPort, { path, headers: { host: HOST, 'x-forwarded-for': VIEWER_IP, 'x-request-id': requestId } });
          return { key, path, requestId, res, replica: String(res.headers['x-fleet-replica']), cache: String(res.headers['x-cache']) };
        }),
      )),
    );
  }
  for (const a of answers) {
    assert.equal(a.res.status, 200, `${a.path} (replica ${a.replica}): ${a.res.text}`);
    assert.equal(a.res.text, bodyOf(a.key), `${a.path}: the object's body`);
  }
  return answers;
}

/** GETs of the test's objects that reached the store. */
const storeGets = (origin: Awaited<ReturnType<typeof cacheOrigin>>): number => KEYS.reduce((n, k) => n + originReads(origin, k).length, 0);

test('fleet: 3 replicas behind nginx `hash $uri consistent` — each object fetched once per fleet; a dead replica moves only its objects', { skip: nginxSkipReason(), timeout: 180_000 }, async (t) => {
  const origin = await cacheOrigin(t);
  for (const key of KEYS) await origin.putObject(CACHE_BUCKET, key, Buffer.from(bodyOf(key)), { contentType: 'text/plain' });

  const replicas = new Map<string, ProxyProcess>();
  for (const name of REPLICAS) {
    const proxy = await startProxyCli(t, {
      // A CDN (the X-Forwarded-For the test sends) and nginx: two trusted hops.
      server: { host: '127.0.0.1', port: 0, trustProxy: 2 },
      log: { level: 'info' },
      cache: { memory: { maxSize: '64MiB' } },
      proxies: [
        cachedBlock(origin.port, '/media/', { ttl: '1h' }, {
          hosts: [HOST], // served only when nginx passes the viewer's Host on
          responseHeaders: { set: { 'x-fleet-replica': name } },
        }),
      ],
    });
    replicas.set(name, proxy);
  }
  const port = await freePort();
  const nginx = await startNginx(t, consistentHashSite([...replicas.values()].map((r) => r.port), port), port);

  const home = new Map<string, string>();
  await t.test('300 requests for 30 objects, three spellings each: 30 GETs at the store, each object always at one replica', async () => {
    const all: Answer[] = [];
    for (let n = 0; n < 10; n++) all.push(...(await round(nginx.port, n)));
    assert.equal(all.length, 300);

    for (const key of KEYS) {
      const mine = all.filter((a) => a.key === key);
      const seenAt = new Set(mine.map((a) => a.replica));
      assert.equal(seenAt.size, 1, `${key}: one home, saw ${[...seenAt].join(', ')}`);
      home.set(key, mine[0]!.replica);
      assert.deepEqual(mine.map((a) => a.cache), ['MISS', ...Array(9).fill('HIT')], `${key}: fetched once, then HITs`);
      assert.equal(originReads(origin, key).length, 1, `${key}: one GET at the store`);
    }
    assert.equal(storeGets(origin), KEYS.length, '300 requests, 30 store GETs');
    assert.equal(origin.requests.filter((r) => r.method === 'GET' || r.method === 'HEAD').length, KEYS.length, 'nothing else reached the store');
    // Every replica is home to some objects (ketama with 160 points per server: an empty replica
    // among 30 keys has a probability of about 1e-5).
    for (const name of REPLICAS) assert.ok([...home.values()].includes(name), `${name} is home to some objects: ${JSON.stringify(Object.fromEntries(home))}`);

    // nginx forwarded the path byte for byte, the Host, and the viewer's address for trustProxy.
    for (const a of all.filter((x) => x.path.includes('%') || x.path.includes('+') || x.path.includes('//'))) {
      const line = await accessLineFor(replicas.get(a.replica)!, a.requestId);
      assert.equal(line.path, a.path, `${a.requestId}: the path as the viewer sent it`);
      assert.equal(line.remoteAddr, VIEWER_IP, `${a.requestId}: remoteAddr from X-Forwarded-For`);
    }
    const wrongHost = await raw(nginx.port, { path: `/media/${encodeKey(KEYS[0]!)}`, headers: { host: 'other.example.test' } });
    assert.equal(wrongHost.status, 404, 'a Host no block serves: the replica saw the viewer\'s Host');
    assert.match(wrongHost.text, /OS_ERR_NO_ROUTE/);
  });

  await t.test('kill a replica (SIGKILL): its objects move once each to a new home, every other object stays a HIT where it was', async () => {
    // The replica homing the most objects (at least 10 of the 30).
    const counts = REPLICAS.map((name) => ({ name, n: [...home.values()].filter((h) => h === name).length })).sort((a, b) => b.n - a.n);
    const victim = counts[0]!.name;
    const moved = KEYS.filter((k) => home.get(k) === victim);
    const stayed = KEYS.filter((k) => home.get(k) !== victim);
    const proc = replicas.get(victim)!;
    const exited = new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
    proc.child.kill('SIGKILL');
    await exited;
    const readsBefore = storeGets(origin);

    const after: Answer[] = [];
    for (let n = 10; n < 13; n++) after.push(...(await round(nginx.port, n)));

    for (const key of stayed) {
      const mine = after.filter((a) => a.key === key);
      assert.deepEqual(new Set(mine.map((a) => a.replica)), new Set([home.get(key)]), `${key}: still at ${home.get(key)}`);
      assert.deepEqual(mine.map((a) => a.cache), ['HIT', 'HIT', 'HIT'], `${key}: still cached`);
      assert.equal(originReads(origin, key).length, 1, `${key}: no new store request`);
    }
    for (const key of moved) {
      const mine = after.filter((a) => a.key === key);
      const newHome = new Set(mine.map((a) => a.replica));
      assert.equal(newHome.size, 1, `${key}: one new home, saw ${[...newHome].join(', ')}`);
      assert.notEqual([...newHome][0], victim);
      assert.deepEqual(mine.map((a) => a.cache), ['MISS', 'HIT', 'HIT'], `${key}: fetched once by its new home`);
      assert.equal(originReads(origin, key).length, 2, `${key}: one more store GET`);
    }
    assert.equal(storeGets(origin) - readsBefore, moved.length, `only the ${moved.length} objects of ${victim} were fetched again`);
    assert.match(nginx.errorLog(), /connect\(\) failed \(111: Connection refused\)/, 'nginx found the replica gone');
  });
});
