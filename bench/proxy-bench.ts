// The proxy benchmark (bench/README.md). nginx serves S3-style paths as the origin; wrk loads
// (1) the origin directly (baseline), (2) nginx proxy_pass in front of it (the plain reference hop),
// (3) Apache Traffic Server with its s3_auth plugin signing SigV4 (the signing reference), (4) the
// Node floor (bench/node-floor.ts: node:http + undici Pool, nothing else), (5) the same floor
// signing with aws4 (what signing alone adds), (6) origin-signer in front of it, signing SigV4.
// The proxies are pinned to core 0, the origin, wrk and curl to core 1. Scenarios run interleaved,
// repeated, and are reported as medians, with CPU per request / per GB and peak RSS per load from
// /proc; then one 1 MiB and one 1 GiB download, each through a fresh process, and again through a
// process warmed first, compare peak RSS. The report ends with issue #17's targets, met or not.
// Loopback only; every load is bounded in time; every process started is stopped on exit.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { append, cpuPerGB, cpuSeconds, freePort, median, need, peakRssMiB, publishReport, resetPeakRss, startNginx, stopOnExit, wrk, type WrkResult } from './harness.js';
import { CREDS } from './creds.js';
import { checkSigns, originServer, referenceProxy, signingBlock, startNodeServer, startOriginSigner, version, waitGone, type Started } from './targets.js';
import { OBJECTS, singleDownloads, type StartFor } from './single-downloads.js';
import { S3_AUTH_SO, startTrafficServer } from './traffic-server.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
/** 1 KiB load on a fresh process before its "warmed" single download. */
const WARM_FIRST_SECONDS = 3;
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const SMALL = KiB;
const BIG = 100 * MiB;
// Issue #17's targets.
const TARGET = { cpuPerReqVsFloor: 1.15, cpuPerGB: 1.15, cpuPerGBVsFloor: 1.15, rssPerLoadMiB: 160, rssBigVsSmallMiB: 24 };

/** origin-signer in front of the origin, signing SigV4, no cache. */
const startProxy = (dir: string, name: string, originPort: number): Promise<Started> =>
  startOriginSigner(dir, name, LOG_LEVEL, `proxies:\n${signingBlock('/p/', originPort)}`);
/** The Node floor (bench/node-floor.ts): node:http in front of an undici Pool, nothing else. */
const startFloor = (originPort: number): Promise<Started> => startNodeServer('node-floor.js', [String(originPort)]);
/** The same floor signing each request with aws4 (bench/node-floor-sigv4.ts): what signing alone adds. */
const startSigningFloor = (originPort: number): Promise<Started> => startNodeServer('node-floor-sigv4.js', [String(originPort)]);


/** What the single downloads go through: origin-signer, and the Node floor for what Node itself adds. */
const SINGLES = (dir: string, originPort: number): Map<string, StartFor> =>
  new Map<string, StartFor>([
    ['origin-signer', async (name) => {
      const p = await startProxy(dir, name, originPort);
      return { ...p, base: `http://127.0.0.1:${p.port}/p/` };
    }],
    ['Node floor', async () => {
      const p = await startFloor(originPort);
      return { ...p, base: `http://127.0.0.1:${p.port}/bkt/` };
    }],
  ]);

async function main(): Promise<void> {
  for (const cmd of ['nginx', 'traffic_server', 'wrk', 'curl', 'taskset', 'setpriv', 'pgrep']) need(cmd);
  if (!existsSync(S3_AUTH_SO)) need('s3_auth.so'); // prints the install hint and exits
  if (cpus().length < 2) console.warn('bench: fewer than 2 cores: proxy and load will share one');
  const dir = mkdtempSync(join(tmpdir(), 'os-bench-'));
  const www = join(dir, 'www');
  mkdirSync(join(www, 'bkt'), { recursive: true });
  // On any exit the objects (1.1 GiB) go; the rest (configs, logs) stays for a failed run.
  stopOnExit(() => rmSync(www, { recursive: true, force: true }));
  writeFileSync(join(www, 'bkt', 'small'), Buffer.alloc(SMALL, 'a'));
  writeFileSync(join(www, 'bkt', 'big'), Buffer.alloc(BIG, 'b'));
  writeFileSync(join(www, 'bkt', 'mib'), Buffer.alloc(MiB, 'c'));
  // 1 GiB without writing it: a sparse file (zeros), served by nginx like any other.
  writeFileSync(join(www, 'bkt', 'gib'), '');
  truncateSync(join(www, 'bkt', 'gib'), GiB);
  // nginx started as root serves as `nobody`: the tree must be readable by all.
  for (const p of [dir, www, join(www, 'bkt')]) chmodSync(p, 0o755);

  const targetNames = ['origin (nginx, direct)', 'nginx proxy_pass', 'Traffic Server s3_auth', 'Node floor', 'Node floor + aws4 SigV4', 'origin-signer (SigV4)'] as const;
  const scenarios = [
    { name: '1 KiB, 64 conn', path: 'small', conns: 64, load: '1 KiB' },
    { name: '1 KiB, 16 conn', path: 'small', conns: 16, load: '1 KiB' },
    { name: '100 MiB, 4 conn', path: 'big', conns: 4, load: '100 MiB' },
  ] as const;
  const [originPort, refPort, atsPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const singles = SINGLES(dir, originPort);
  // Single downloads, each twice: a fresh process (start ~1 s, 1 MiB or 1 GiB ~1-2 s) and a warmed
  // one (the same, plus its warm-up and 1.5 s of rest).
  const downloads = singles.size * OBJECTS.length;
  const expected = scenarios.length * targetNames.length * (WARMUP_SECONDS + REPS * SECONDS) + REPS * downloads * (3 + 4 + WARM_FIRST_SECONDS) + 20;
  process.stderr.write(
    `bench: about ${Math.ceil(expected / 60)} min on an idle machine (${REPS} reps × ${SECONDS} s after a ${WARMUP_SECONDS} s warm-up, ${targetNames.length} targets × ${scenarios.length} scenarios, then ${REPS} × ${2 * downloads} single downloads); files in ${dir}\n`,
  );

  const origin = await startNginx(
    dir,
    'origin',
    1,
    originServer(originPort, www),
  );
  const reference = await startNginx(
    dir,
    'reference',
    0,
    referenceProxy(refPort, originPort),
  );
  const ats = await startTrafficServer(dir, 'ats', 0, { port: atsPort, originBase: `http://127.0.0.1:${originPort}`, prefix: '/bkt/', ...CREDS });
  const proxy = await startProxy(dir, 'origin-signer', originPort);
  const nodeFloor = await startFloor(originPort);
  const signingFloor = await startSigningFloor(originPort);
  await checkSigns('Traffic Server s3_auth', `http://127.0.0.1:${atsPort}/bkt/_auth`);
  await checkSigns('Node floor + aws4 SigV4', `http://127.0.0.1:${signingFloor.port}/bkt/_auth`);
  await checkSigns('origin-signer', `http://127.0.0.1:${proxy.port}/p/_auth`);

  const targets: { name: (typeof targetNames)[number]; base: string; pid: number }[] = [
    { name: targetNames[0], base: `http://127.0.0.1:${originPort}/bkt/`, pid: origin.pid },
    { name: targetNames[1], base: `http://127.0.0.1:${refPort}/bkt/`, pid: reference.pid },
    { name: targetNames[2], base: `http://127.0.0.1:${atsPort}/bkt/`, pid: ats.pid },
    { name: targetNames[3], base: `http://127.0.0.1:${nodeFloor.port}/bkt/`, pid: nodeFloor.pid },
    { name: targetNames[4], base: `http://127.0.0.1:${signingFloor.port}/bkt/`, pid: signingFloor.pid },
    { name: targetNames[5], base: `http://127.0.0.1:${proxy.port}/p/`, pid: proxy.pid },
  ];
  type Sample = WrkResult & { cpuPerReq: number; cpuPerGB: number };
  const samples = new Map<string, Sample[]>();
  const peaks = new Map<string, number>(); // `${target}|${load}` → peak RSS MiB during that load's runs
  // Warm-up, unmeasured: every scenario once for every target, so connection pools are open and
  // the JIT has compiled each path before the first measured run.
  for (const s of scenarios) for (const t of targets) await wrk(t.base + s.path, s.conns, WARMUP_SECONDS);
  for (let rep = 0; rep < REPS; rep++) {
    for (const s of scenarios) {
      for (const t of targets) {
        // The peak is reset to the current RSS before each run, so it is the peak of this load
        // (on top of what the process already holds), not of the whole process life.
        resetPeakRss(t.pid);
        const c0 = cpuSeconds(t.pid);
        const r = await wrk(t.base + s.path, s.conns, SECONDS);
        const cpu = cpuSeconds(t.pid) - c0;
        const peak = peakRssMiB(t.pid);
        const pk = `${t.name}|${s.load}`;
        peaks.set(pk, Math.max(peaks.get(pk) ?? 0, peak));
        append(samples, `${t.name}|${s.name}`, { ...r, cpuPerReq: (cpu / Math.max(1, r.requests)) * 1e6, cpuPerGB: cpuPerGB(cpu, r.bytesPerSec * SECONDS) });
        process.stderr.write(
          `rep ${rep + 1}/${REPS} ${s.name.padEnd(16)} ${t.name.padEnd(24)} ${r.reqPerSec.toFixed(0).padStart(7)} req/s  p99 ${r.p99Ms.toFixed(2)} ms  cpu ${((cpu / Math.max(1, r.requests)) * 1e6).toFixed(1)} µs/req  peak ${peak.toFixed(0)} MiB\n`,
        );
      }
    }
  }
  proxy.stop();
  nodeFloor.stop();
  signingFloor.stop();
  ats.stop();
  reference.stop();
  for (const pid of [proxy.pid, nodeFloor.pid, signingFloor.pid, ats.pid]) await waitGone(pid);

  // One 1 MiB and one 1 GiB download per process, fresh and warmed: origin-signer, and the Node
  // floor for what Node itself adds.
  const single = await singleDownloads(singles, REPS, WARM_FIRST_SECONDS);
  origin.stop();
  await waitGone(origin.pid);

  const med = (t: string, s: string, f: keyof Sample): number => median((samples.get(`${t}|${s}`) ?? []).map((x) => x[f]));
  const [direct, , tsName, floor, , us] = targetNames;
  const x = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
  const rows = [
    ['1 KiB req/s (64 conn)', 'reqPerSec', '1 KiB, 64 conn', (v: number) => v.toFixed(0)],
    ['CPU µs per 1 KiB request (64 conn)', 'cpuPerReq', '1 KiB, 64 conn', (v: number) => v.toFixed(1)],
    ['p99 latency ms (1 KiB, 16 conn)', 'p99Ms', '1 KiB, 16 conn', (v: number) => v.toFixed(2)],
    ['100 MiB MB/s (4 conn)', 'bytesPerSec', '100 MiB, 4 conn', (v: number) => (v / 1e6).toFixed(0)],
    ['CPU s per GB (100 MiB, 4 conn)', 'cpuPerGB', '100 MiB, 4 conn', (v: number) => v.toFixed(3)],
  ] as const;
  const lines = [
    `| measure | direct to origin | nginx proxy_pass | Traffic Server s3_auth | Node floor | Node floor + aws4 SigV4 | origin-signer | origin-signer ÷ Node floor | origin-signer ÷ floor + SigV4 |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|`,
  ];
  for (const [label, field, scenario, fmt] of rows) {
    const v = targetNames.map((t) => med(t, scenario, field));
    lines.push(`| ${label} | ${field.startsWith('cpu') ? '—' : fmt(v[0]!)} | ${fmt(v[1]!)} | ${fmt(v[2]!)} | ${fmt(v[3]!)} | ${fmt(v[4]!)} | ${fmt(v[5]!)} | ${x(v[5]!, v[3]!)} | ${x(v[5]!, v[4]!)} |`);
  }
  for (const load of ['1 KiB', '100 MiB']) {
    const v = targetNames.map((t) => peaks.get(`${t}|${load}`) ?? NaN);
    lines.push(`| peak RSS MiB, ${load} load | — | ${v[1]!.toFixed(0)} | ${v[2]!.toFixed(0)} | ${v[3]!.toFixed(0)} | ${v[4]!.toFixed(0)} | ${v[5]!.toFixed(0)} | ${x(v[5]!, v[3]!)} | ${x(v[5]!, v[4]!)} |`);
  }
  const cpuRatio = med(us, '1 KiB, 64 conn', 'cpuPerReq') / med(floor, '1 KiB, 64 conn', 'cpuPerReq');
  const perGB = med(us, '100 MiB, 4 conn', 'cpuPerGB');
  const perGBRatio = perGB / med(floor, '100 MiB, 4 conn', 'cpuPerGB');
  const rssSmall = peaks.get(`${us}|1 KiB`) ?? NaN;
  const rssBig = peaks.get(`${us}|100 MiB`) ?? NaN;
  const gapMed = median(single.freshGap('origin-signer'));
  const gapMax = Math.max(...single.freshGap('origin-signer'));
  const warmGap = single.warmedGap('origin-signer');
  const floorWarmGap = single.warmedGap('Node floor');
  const met = (ok: boolean): string => (ok ? 'yes' : '**no**');
  const targetLines = [
    `| target (issue #17) | measured | met |`,
    `|---|---:|:---:|`,
    `| CPU per 1 KiB request ≤ ${TARGET.cpuPerReqVsFloor}× the Node floor's | ${cpuRatio.toFixed(2)}× | ${met(cpuRatio <= TARGET.cpuPerReqVsFloor)} |`,
    `| CPU per GB (100 MiB) ≤ ${TARGET.cpuPerGB} s/GB | ${perGB.toFixed(3)} s/GB | ${met(perGB <= TARGET.cpuPerGB)} |`,
    `| CPU per GB (100 MiB) ≤ ${TARGET.cpuPerGBVsFloor}× the Node floor's | ${perGBRatio.toFixed(2)}× | ${met(perGBRatio <= TARGET.cpuPerGBVsFloor)} |`,
    `| peak RSS under the 1 KiB load ≤ ${TARGET.rssPerLoadMiB} MiB | ${rssSmall.toFixed(0)} MiB | ${met(rssSmall <= TARGET.rssPerLoadMiB)} |`,
    `| peak RSS under the 100 MiB load ≤ ${TARGET.rssPerLoadMiB} MiB | ${rssBig.toFixed(0)} MiB | ${met(rssBig <= TARGET.rssPerLoadMiB)} |`,
    `| peak RSS of one 1 GiB download − one 1 MiB download ≤ ${TARGET.rssBigVsSmallMiB} MiB (fresh processes; median, largest of ${REPS}) | ${gapMed.toFixed(1)} MiB (largest ${gapMax.toFixed(1)}) | ${met(gapMax <= TARGET.rssBigVsSmallMiB)} |`,
    `| the same, warmed processes (the Node floor: median ${median(floorWarmGap).toFixed(1)}, largest ${Math.max(...floorWarmGap).toFixed(1)}) | ${median(warmGap).toFixed(1)} MiB (largest ${Math.max(...warmGap).toFixed(1)}) | ${met(Math.max(...warmGap) <= TARGET.rssBigVsSmallMiB)} |`,
  ];
  const p99Gap = med(us, '1 KiB, 16 conn', 'p99Ms') - med(direct, '1 KiB, 16 conn', 'p99Ms');
  const when = new Date().toISOString();
  const report = [
    `# origin-signer benchmark — ${when}`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, nginx ${version('nginx', ['-v'], /nginx\/(\S+)/)}, Traffic Server ${version('traffic_server', ['-V'], /Traffic Server (\S+)/)};`,
    `proxies pinned to core 0, origin, wrk and curl to core 1; ${REPS} interleaved repetitions of ${SECONDS} s per scenario after a ${WARMUP_SECONDS} s warm-up, medians;`,
    `peak RSS per load: the largest over that load's runs, reset before each run. Log level ${LOG_LEVEL} (to a file).`,
    '',
    ...lines,
    '',
    ...single.lines,
    '',
    ...targetLines,
    '',
    `p99 at 16 connections, origin-signer minus direct: ${p99Gap.toFixed(2)} ms; Traffic Server s3_auth minus direct: ${(med(tsName, '1 KiB, 16 conn', 'p99Ms') - med(direct, '1 KiB, 16 conn', 'p99Ms')).toFixed(2)} ms.`,
    '',
  ].join('\n');
  publishReport('proxy', 'latest.md', when, report);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1); // the exit hook stops every process started (harness.stopOnExit)
});
