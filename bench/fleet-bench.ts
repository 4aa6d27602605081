// The fleet benchmark (bench/README.md, issue #21): three origin-signer replicas (core 0) behind
// nginx load-balancing round-robin (core 1), in front of nginx serving S3-style objects (core 1)
// that logs every request — once with each replica on its own, once with the shared Redis tier
// (redis-server on core 1). A hot set of 200 objects of 256 KiB, each asked for three times in a
// row, so round-robin sends the three to the three replicas at the same moment: once over the set
// by the harness (cold; the origin's log says how many GETs each object cost — the goal: 1 with the
// tier, 3 without), then by wrk (core 1) for a while (warm: req/s through the balancer).
// Loopback only, bounded.
import { spawnSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, median, need, ROOT, spawnGuarded, startNginx, stopOnExit, wrk } from './harness.js';
import { startOrigin, type OriginLog } from './cache-targets.js';
import { signingBlock, sleep, startOriginSigner, version, waitGone, type Started } from './targets.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const CONNS = Number(process.env.BENCH_CONNS ?? 24);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const OBJECTS = 200;
const OBJECT_BYTES = 256 * 1024;
const REPLICAS = 3;
/**
 * cache.shared.timeout here: Redis shares core 1 with wrk and two nginx (and, on a busy machine,
 * whatever else runs), where its answers can take longer than the 200 ms default.
 */
const SHARED_TIMEOUT = process.env.BENCH_SHARED_TIMEOUT ?? '1s';

type Mode = 'alone' | 'shared';

/** A wrk script asking for `hot-<set>-<i>` three times in a row (one per replica behind round-robin), object after object. */
function tripleScript(dir: string, set: string): string {
  const file = join(dir, `triple-${set}.lua`);
  writeFileSync(
    file,
    `local reqs = {}
init = function(args)
  for i = 0, ${OBJECTS - 1} do reqs[#reqs + 1] = wrk.format(nil, wrk.path .. "hot-${set}-" .. i) end
end
local n = 0
request = function()
  local i = math.floor(n / ${REPLICAS}) % #reqs + 1
  n = n + 1
  return reqs[i]
end
`,
  );
  return file;
}

/**
 * The cold pass: the same order as the wrk script, once over the set (REPLICAS requests per object
 * in a row), from `conns` keep-alive connections; every answer must be 200 with the whole object.
 * Sent from this process (wrk cannot stop after a count): its wall time gives the rate.
 */
async function coldPass(url: string, set: string, conns: number): Promise<{ requests: number; seconds: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: conns });
  let next = 0;
  const total = OBJECTS * REPLICAS;
  const one = (path: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request(`${url}${path}`, { agent }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => (res.statusCode === 200 && bytes === OBJECT_BYTES ? resolve() : reject(new Error(`${path}: ${res.statusCode}, ${bytes} bytes`))));
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`${path}: no answer in 30 s`)));
      req.on('error', reject);
      req.end();
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: conns }, async () => {
      for (let n = next++; n < total; n = next++) await one(`hot-${set}-${Math.floor(n / REPLICAS) % OBJECTS}`);
    }),
  );
  agent.destroy();
  return { requests: total, seconds: (performance.now() - t0) / 1000 };
}

/** redis-server on core 1, no persistence, on a free port. */
async function startRedis(dir: string): Promise<Started> {
  const port = await freePort();
  const child = spawnGuarded('taskset', ['-c', '1', 'redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--maxmemory', '512mb', '--maxmemory-policy', 'allkeys-lru'], { stdio: 'ignore' });
  const stop = stopOnExit(() => child.kill('SIGTERM'));
  for (let i = 0; i < 100; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG') return { pid: child.pid!, port, stop };
    await sleep(50);
  }
  throw new Error('redis-server did not start');
}

/** nginx round-robin over the replicas (its default), upstream keep-alive, on core 1. */
async function startBalancer(dir: string, name: string, ports: number[]): Promise<Started> {
  const port = await freePort();
  const n = await startNginx(
    dir,
    name,
    1,
    `upstream fleet { ${ports.map((p) => `server 127.0.0.1:${p};`).join(' ')} keepalive 64; }
     server { listen 127.0.0.1:${port}; location / { proxy_http_version 1.1; proxy_set_header Connection ""; proxy_pass http://fleet; } }`,
  );
  return { ...n, port };
}

interface ModeResult {
  /** Per repetition: origin GETs per object over the cold pass, and in total. */
  perObject: number[];
  coldReqPerSec: number[];
  hotReqPerSec: number[];
  hotP99: number[];
  hotOriginGets: number[];
}

async function runMode(dir: string, mode: Mode, originPort: number, log: OriginLog, redis: Started | undefined): Promise<ModeResult> {
  const out: ModeResult = { perObject: [], coldReqPerSec: [], hotReqPerSec: [], hotP99: [], hotOriginGets: [] };
  for (let rep = 0; rep < REPS; rep++) {
    if (redis) spawnSync('redis-cli', ['-p', String(redis.port), 'flushall']);
    const replicas: Started[] = [];
    for (let i = 0; i < REPLICAS; i++) {
      const shared = redis ? `\n  shared: { url: "redis://127.0.0.1:${redis.port}/0", timeout: ${SHARED_TIMEOUT} }` : '';
      replicas.push(await startOriginSigner(dir, `replica-${mode}-${rep}-${i}`, LOG_LEVEL, `cache:\n  memory: { maxSize: 128MiB, maxObjectSize: 8MiB }${shared}\nproxies:\n${signingBlock('/p/', originPort, '    cache: { ttl: 1h, maxTtl: 1d }\n')}`));
    }
    const lb = await startBalancer(dir, `lb-${mode}-${rep}`, replicas.map((r) => r.port));
    if (redis) await sleep(1000); // the replicas connect to Redis in the background
    const set = `${mode}-${rep}`;
    const url = `http://127.0.0.1:${lb.port}/p/`;

    let mark = log.mark();
    const cold = await coldPass(url, set, CONNS);
    await sleep(500);
    const gets = log.since(mark).filter((h) => h.method === 'GET' && h.uri.startsWith(`/bkt/hot-${set}-`));
    const objects = new Set(gets.map((h) => h.uri)).size;
    if (objects !== OBJECTS) throw new Error(`${mode}: ${objects} of ${OBJECTS} objects reached the origin in the cold pass`);
    out.perObject.push(gets.length / OBJECTS);
    out.coldReqPerSec.push(cold.requests / cold.seconds);

    mark = log.mark();
    const hot = await wrk(url, CONNS, SECONDS, '1', tripleScript(dir, set));
    out.hotOriginGets.push(log.since(mark).filter((h) => h.method === 'GET').length);
    out.hotReqPerSec.push(hot.reqPerSec);
    out.hotP99.push(hot.p99Ms);
    process.stderr.write(`rep ${rep + 1}/${REPS} ${mode.padEnd(6)} cold: ${(gets.length / OBJECTS).toFixed(2)} origin GETs per object, ${cold.requests} requests in ${cold.seconds.toFixed(2)} s; warm: ${hot.reqPerSec.toFixed(0)} req/s, p99 ${hot.p99Ms.toFixed(1)} ms\n`);

    for (const s of [lb, ...replicas]) s.stop();
    for (const s of [lb, ...replicas]) await waitGone(s.pid);
  }
  return out;
}

function report(r: Record<Mode, ModeResult>, loadAtStart: number): string {
  const f = (xs: number[], d = 0): string => median(xs).toFixed(d);
  const all = (xs: number[], d = 2): string => xs.map((x) => x.toFixed(d)).join(', ');
  const row = (label: string, get: (m: ModeResult) => string): string => `| ${label} | ${get(r.alone)} | ${get(r.shared)} |`;
  return `# Fleet benchmark (issue #21)

${new Date().toISOString()} · Node ${process.version} · nginx ${version('nginx', ['-v'], /nginx\/(\S+)/)} · ${version('redis-server', ['--version'], /v=(\S+)/).replace(/^/, 'redis-server ')} · load average at start ${loadAtStart.toFixed(2)}

${REPLICAS} origin-signer replicas (each its own memory store, all on core 0) behind nginx round-robin
(core 1), in front of nginx serving the objects (core 1); redis-server on core 1. ${OBJECTS} objects of
${OBJECT_BYTES / 1024} KiB, each asked for ${REPLICAS} times in a row on ${CONNS} connections, so round-robin
sends the ${REPLICAS} requests to the ${REPLICAS} replicas at once. Cold: one pass over the set
(${OBJECTS * REPLICAS} requests, sent by the harness itself: wrk cannot stop after a count) on a fresh fleet and an
empty Redis; warm: wrk (core 1) sending the same requests for ${SECONDS} s right after.
\`cache.shared.timeout\`: ${SHARED_TIMEOUT}. Medians of ${REPS} repetitions (\`npm run bench:fleet\`).

| | replicas alone | with \`cache.shared\` (Redis) |
|---|---|---|
${row('origin GETs per object, cold (goal: 3 alone, 1 shared)', (m) => f(m.perObject, 2))}
${row('… each repetition', (m) => all(m.perObject))}
${row('req/s through the balancer, cold', (m) => f(m.coldReqPerSec))}
${row('req/s through the balancer, warm', (m) => f(m.hotReqPerSec))}
${row('p99 ms, warm', (m) => f(m.hotP99, 1))}
${row('origin GETs during the warm run', (m) => f(m.hotOriginGets))}

On two cores shared by everything here the req/s compare the two set-ups with each other, not
with a production fleet: the three replicas share one core, and the balancer, the origin, Redis
and wrk the other. The cold req/s is that of a pass where every request is a miss somewhere: with
the tier, two of each three wait for the third's fill and read its entry from Redis.
`;
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0]!;
  for (const cmd of ['nginx', 'wrk', 'taskset', 'setpriv', 'pgrep', 'redis-server', 'redis-cli']) need(cmd);
  const dir = mkdtempSync(join(tmpdir(), 'os-fleet-bench-'));
  const www = join(dir, 'www');
  const bkt = join(www, 'bkt');
  mkdirSync(bkt, { recursive: true });
  stopOnExit(() => rmSync(www, { recursive: true, force: true }));
  writeFileSync(join(bkt, 'object'), randomBytes(OBJECT_BYTES));
  for (const mode of ['alone', 'shared']) for (let rep = 0; rep < REPS; rep++) for (let i = 0; i < OBJECTS; i++) linkSync(join(bkt, 'object'), join(bkt, `hot-${mode}-${rep}-${i}`));
  for (const p of [dir, www, bkt]) chmodSync(p, 0o755); // nginx as root serves as nobody
  process.stderr.write(`fleet bench: about ${Math.ceil((2 * REPS * (SECONDS + 8)) / 60)} min; files in ${dir}\n`);

  const origin = await startOrigin(dir, www);
  const redis = await startRedis(dir);
  const results = { alone: await runMode(dir, 'alone', origin.port, origin.log, undefined), shared: await runMode(dir, 'shared', origin.port, origin.log, redis) };
  redis.stop();
  origin.stop();
  const text = report(results, loadAtStart);
  writeFileSync(join(ROOT, 'bench', 'results', 'fleet-latest.md'), text);
  console.log(text);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1); // the exit hook stops every process started (harness.stopOnExit)
});
