// The cache benchmark (bench/README.md, issue #18). nginx serves S3-style objects as the origin and
// logs every request; in front of it, pinned to core 0: nginx proxy_cache (the reference cache, set
// up as nginx-s3-gateway does, no signing), Traffic Server with s3_auth signing and its cache on,
// the Node buffer floor (node:http serving a Buffer from memory: what a hit costs any Node cache)
// and origin-signer with `cache:`. wrk (core 1) loads hot 1 KiB and 1 MiB objects; the viewers
// driver (bench/cache-viewers.ts, core 1) sends 200 viewers at a cold 100 MiB object and a suffix
// Range at a cold 1 GiB one, and the origin's log says what reached it; then a fresh origin-signer
// with a 64 MiB memory store serves a hot set three times that size, for its peak RSS. Interleaved,
// repeated, medians; the report (cache-report.ts) sets each result against issue #18's targets.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { append, cpuPerGB, cpuSeconds, need, peakRssMiB, resetPeakRss, ROOT, run, stopOnExit, wrk } from './harness.js';
import { makeObjects, MiB, startAtsCache, startCachingSigner, startNginxCache, startOrigin, type OriginLog } from './cache-targets.js';
import { renderReport, type Measured, type TargetId } from './cache-report.js';
import { checkSigns, sleep, startNodeServer, waitGone, type Started } from './targets.js';
import { S3_AUTH_SO } from './traffic-server.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 200);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const SMALL_OBJECTS = 100; // hot 1 KiB set
const MIB_OBJECTS = 32; // hot 1 MiB set
const HOT_SET_OBJECTS = 192; // 1 MiB each: three times the small store
/** origin-signer's memory store for scenarios 1-4 (the 100 MiB object must fit), and Traffic Server's RAM cache. */
const MEMORY = { maxSize: 512 * MiB, maxObjectSize: 128 * MiB };
/** Scenario 5: a small store, so a hot set three times its size evicts all the time. */
const SMALL_MEMORY = { maxSize: 64 * MiB, maxObjectSize: 8 * MiB };

/** A wrk script spreading the requests over `count` objects `<prefix><i>` under the URL's path, in turn or at random. */
function spreadScript(dir: string, name: string, prefix: string, count: number, random: boolean): string {
  const file = join(dir, `${name}.lua`);
  writeFileSync(
    file,
    `local reqs = {}
init = function(args)
  for i = 0, ${count - 1} do reqs[#reqs + 1] = wrk.format(nil, wrk.path .. "${prefix}" .. i) end
  math.randomseed(18)
end
local n = 0
request = function()
  n = n + 1
  return reqs[${random ? 'math.random(#reqs)' : '(n % #reqs) + 1'}]
end
`,
  );
  return file;
}

interface Viewers {
  count: number;
  complete: number;
  statuses: Record<string, number>;
  xCache: Record<string, number>;
  firstByteMaxMs: number;
  lastDoneMs: number;
  errors: string[];
}
/** The viewers driver on core 1: `count` GETs at once, bodies checked against `file`. */
async function viewers(url: string, count: number, file: string, suffix?: number): Promise<Viewers> {
  const args = ['-c', '1', process.execPath, join(ROOT, 'dist', 'bench', 'cache-viewers.js'), url, String(count), file, ...(suffix ? [String(suffix)] : [])];
  const r = await run('taskset', args, 300_000);
  if (r.status !== 0) throw new Error(`viewers of ${url} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Viewers;
}

/** Waits until the origin has logged nothing new for 0.5 s (a proxy may still be filling in the background), at most 20 s. */
async function settle(log: OriginLog): Promise<void> {
  let last = log.mark();
  for (let quiet = 0, i = 0; quiet < 5 && i < 200; i++) {
    await sleep(100);
    const now = log.mark();
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0]!;
  for (const cmd of ['nginx', 'traffic_server', 'wrk', 'taskset', 'setpriv', 'pgrep']) need(cmd);
  if (!existsSync(S3_AUTH_SO)) need('s3_auth.so');
  const dir = mkdtempSync(join(tmpdir(), 'os-cache-bench-'));
  const www = join(dir, 'www');
  const bkt = join(www, 'bkt');
  mkdirSync(bkt, { recursive: true });
  stopOnExit(() => rmSync(www, { recursive: true, force: true }));
  const objects = makeObjects(bkt, SMALL_OBJECTS, MIB_OBJECTS);
  for (let i = 0; i < HOT_SET_OBJECTS; i++) objects.link('mib-0', `hot-${i}`);
  for (const p of [dir, www, bkt]) chmodSync(p, 0o755); // nginx as root serves as nobody
  const hot = [
    { id: 'small', label: 'hot 1 KiB', conns: 64, script: spreadScript(dir, 'small', 'small-', SMALL_OBJECTS, false) },
    { id: 'mib', label: 'hot 1 MiB', conns: 16, script: spreadScript(dir, 'mib', 'mib-', MIB_OBJECTS, false) },
  ] as const;
  // Hot loads; per cache and repetition 200 viewers (~10 s on the bench machine), one alone and
  // two Ranges, plus the hot viewers once; the hot set; start-up.
  const expected = 2 * 4 * (WARMUP_SECONDS + REPS * SECONDS) + 3 * (REPS + 1) * VIEWERS * 0.05 + REPS * 3 * 4 + WARMUP_SECONDS + REPS * SECONDS + 20;
  process.stderr.write(`cache bench: about ${Math.ceil(expected / 60)} min on an idle machine; files in ${dir}\n`);

  const origin = await startOrigin(dir, www);
  const started: Record<TargetId, Started> = {
    nginx: await startNginxCache(dir, origin.port),
    ats: await startAtsCache(dir, origin.port, MEMORY),
    floor: await startNodeServer('node-buffer-floor.js', [www]),
    signer: await startCachingSigner(dir, 'origin-signer', LOG_LEVEL, origin.port, MEMORY),
  };
  await checkSigns('Traffic Server (cache on)', `http://127.0.0.1:${started.ats.port}/bkt/_auth`);
  await checkSigns('origin-signer (cache on)', `http://127.0.0.1:${started.signer.port}/p/_auth`);
  const base = (t: TargetId): string => `http://127.0.0.1:${started[t].port}/${t === 'signer' ? 'p' : 'bkt'}/`;
  const caches: TargetId[] = ['nginx', 'ats', 'signer'];
  const m: Measured = { samples: new Map(), notes: new Map(), seconds: SECONDS, reps: REPS, viewers: VIEWERS, memory: MEMORY, smallMemory: SMALL_MEMORY, loadAtStart };
  const add = (t: TargetId, what: string, v: number): void => append(m.samples, `${t}|${what}`, v);
  const note = (t: TargetId, what: string, v: string): void => void m.notes.set(`${t}|${what}`, v);

  // Warm-up, unmeasured: every hot object cached in every target, the JIT warm.
  for (const s of hot) for (const t of Object.keys(started) as TargetId[]) await wrk(base(t), s.conns, WARMUP_SECONDS, '1', s.script);
  const probe = await fetch(`${base('signer')}small-0`);
  await probe.arrayBuffer();
  note('signer', 'x-cache', probe.headers.get('x-cache') ?? '');

  for (let rep = 0; rep < REPS; rep++) {
    for (const s of hot) {
      for (const t of Object.keys(started) as TargetId[]) {
        const { pid } = started[t];
        resetPeakRss(pid);
        const mark = origin.log.mark();
        const c0 = cpuSeconds(pid);
        const r = await wrk(base(t), s.conns, SECONDS, '1', s.script);
        const cpu = cpuSeconds(pid) - c0;
        add(t, `${s.id} req/s`, r.reqPerSec);
        add(t, `${s.id} p99`, r.p99Ms);
        add(t, `${s.id} MB/s`, r.bytesPerSec / 1e6);
        add(t, `${s.id} cpu/req`, (cpu / Math.max(1, r.requests)) * 1e6);
        add(t, `${s.id} cpu/GB`, cpuPerGB(cpu, r.bytesPerSec * SECONDS));
        add(t, `${s.id} origin`, origin.log.since(mark).length);
        add(t, `${s.id} rss`, peakRssMiB(pid));
        process.stderr.write(`rep ${rep + 1}/${REPS} ${s.label} ${t.padEnd(6)} ${r.reqPerSec.toFixed(0).padStart(6)} req/s ${(r.bytesPerSec / 1e6).toFixed(0).padStart(5)} MB/s cpu ${((cpu / Math.max(1, r.requests)) * 1e6).toFixed(1)} µs/req\n`);
      }
    }
    // Collapsing: one viewer alone on a cold 100 MiB object, then VIEWERS at once on another.
    for (const t of caches) {
      const solo = await viewers(base(t) + objects.link('big', `solo-${t}-${rep}`), 1, objects.file('big'));
      const cold = objects.link('big', `cold-${t}-${rep}`);
      const mark = origin.log.mark();
      const v = await viewers(base(t) + cold, VIEWERS, objects.file('big'));
      await settle(origin.log);
      const gets = origin.log.since(mark, `/bkt/${cold}`).filter((h) => h.method === 'GET');
      add(t, 'collapse origin GETs', gets.length);
      add(t, 'collapse complete', v.complete);
      add(t, 'collapse last s', v.lastDoneMs / 1000);
      add(t, 'collapse first byte ms', v.firstByteMaxMs);
      add(t, 'solo s', solo.complete === 1 ? solo.lastDoneMs / 1000 : NaN);
      note(t, 'collapse x-cache', Object.entries(v.xCache).map(([k, n]) => `${k} ${n}`).join(', '));
      if (rep === 0) {
        // Context, once: the same viewers on the object now hot — what delivering VIEWERS bodies takes here at all.
        const h = await viewers(base(t) + cold, VIEWERS, objects.file('big'));
        add(t, 'hot viewers s', h.complete === VIEWERS ? h.lastDoneMs / 1000 : NaN);
      }
      if (v.errors.length) note(t, 'collapse errors', v.errors.join('; '));
      process.stderr.write(`rep ${rep + 1}/${REPS} collapse ${t.padEnd(6)} ${v.complete}/${VIEWERS} identical, ${gets.length} origin GETs, last done ${(v.lastDoneMs / 1000).toFixed(2)} s, alone ${(solo.lastDoneMs / 1000).toFixed(2)} s\n`);
    }
    // A suffix Range on a cold 1 GiB object, twice: what reached the origin for each.
    for (const t of caches) {
      const name = objects.link('gib', `range-${t}-${rep}`);
      for (const round of ['range', 'range again']) {
        const mark = origin.log.mark();
        const v = await viewers((t === 'signer' ? base(t).replace(/\/p\/$/, '/s/') : base(t)) + name, 1, objects.file('gib'), MiB);
        await settle(origin.log);
        const hits = origin.log.since(mark, `/bkt/${name}`);
        add(t, `${round} requests`, hits.length);
        add(t, `${round} MiB`, hits.reduce((n, h) => n + h.bytes, 0) / MiB);
        add(t, `${round} complete`, v.complete);
        if (round === 'range') note(t, 'range origin', hits.map((h) => h.range).join(' '));
      }
    }
    process.stderr.write(`rep ${rep + 1}/${REPS} range: ${caches.map((t) => `${t} ${m.samples.get(`${t}|range requests`)!.at(-1)} requests`).join(', ')}\n`);
  }
  for (const s of Object.values(started)) s.stop();
  for (const s of Object.values(started)) await waitGone(s.pid);

  // A hot set three times a small memory store, on a fresh origin-signer: its peak RSS.
  const small = await startCachingSigner(dir, 'origin-signer-small', LOG_LEVEL, origin.port, SMALL_MEMORY);
  const setScript = spreadScript(dir, 'hot-set', 'hot-', HOT_SET_OBJECTS, true);
  const url = `http://127.0.0.1:${small.port}/p/`;
  await wrk(url, 16, WARMUP_SECONDS, '1', setScript);
  for (let rep = 0; rep < REPS; rep++) {
    const mark = origin.log.mark();
    const r = await wrk(url, 16, SECONDS, '1', setScript);
    add('signer', 'hot set rss', peakRssMiB(small.pid));
    add('signer', 'hot set MB/s', r.bytesPerSec / 1e6);
    add('signer', 'hot set origin per req', origin.log.since(mark).length / Math.max(1, r.requests));
    process.stderr.write(`rep ${rep + 1}/${REPS} hot set: peak RSS ${peakRssMiB(small.pid).toFixed(0)} MiB, ${(r.bytesPerSec / 1e6).toFixed(0)} MB/s\n`);
  }
  small.stop();
  origin.stop();
  await waitGone(small.pid);

  const report = renderReport(m);
  const when = new Date().toISOString();
  writeFileSync(join(ROOT, 'bench', 'results', 'cache-latest.md'), report);
  writeFileSync(join(ROOT, 'bench', 'results', `cache-${when.replace(/[:.]/g, '-')}.md`), report);
  console.log(report);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1); // the exit hook stops every process started (harness.stopOnExit)
});
