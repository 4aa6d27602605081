// The proxy benchmark (bench/README.md): nginx serves S3-style paths as the origin; wrk loads
// (1) the origin directly (baseline), (2) nginx proxy_pass in front of it (the reference hop),
// (3) the Node floor (bench/node-floor.ts: node:http + undici Pool, nothing else), (4)
// origin-signer in front of it, signing SigV4. The proxies are pinned to core 0, the origin and
// wrk to core 1. Scenarios run interleaved, repeated, and are reported as medians and as ratios
// to the nginx reference measured in the same run. Loopback only; bounded in time.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync, rmSync, openSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, freePort, median, need, peakRssMiB, ROOT, spawnGuarded, startNginx, stopOnExit, waitForHttp, wrk, type WrkResult } from './harness.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const SMALL = 1024;
const BIG = 100 * 1024 * 1024;

async function main(): Promise<void> {
  for (const cmd of ['nginx', 'wrk', 'taskset', 'setpriv', 'pgrep']) need(cmd);
  if (cpus().length < 2) console.warn('bench: fewer than 2 cores: proxy and load will share one');
  const dir = mkdtempSync(join(tmpdir(), 'os-bench-'));
  mkdirSync(join(dir, 'www', 'bkt'), { recursive: true });
  writeFileSync(join(dir, 'www', 'bkt', 'small'), Buffer.alloc(SMALL, 'a'));
  writeFileSync(join(dir, 'www', 'bkt', 'big'), Buffer.alloc(BIG, 'b'));
  // nginx started as root serves as `nobody`: the tree must be readable by all.
  for (const p of [dir, join(dir, 'www'), join(dir, 'www', 'bkt')]) chmodSync(p, 0o755);

  const [originPort, refPort, proxyPort, adminPort, floorPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const origin = await startNginx(dir, 'origin', 1, `server { listen 127.0.0.1:${originPort}; root ${dir}/www; }`);
  const reference = await startNginx(
    dir,
    'reference',
    0,
    `upstream o { server 127.0.0.1:${originPort}; keepalive 128; }
     server { listen 127.0.0.1:${refPort}; location / { proxy_pass http://o; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering on; } }`,
  );
  const config = join(dir, 'origin-signer.yaml');
  writeFileSync(
    config,
    `server: { host: 127.0.0.1, port: ${proxyPort}, admin: { host: 127.0.0.1, port: ${adminPort} } }
log: { level: ${process.env.BENCH_LOG_LEVEL ?? 'info'} }
proxies:
  - path: /p/
    upstream: { bucket: bkt, region: us-east-1, endpoint: "http://127.0.0.1:${originPort}", addressing: path }
    credentials: { accessKeyId: AKIDBENCHMARK000001, secretAccessKey: bench-secret-key-not-real }
`,
  );
  // Logs go to a file, as in production (a terminal would cost more than the proxy).
  const logFd = openSync(join(dir, 'origin-signer.log'), 'w');
  const proxy: ChildProcess = spawnGuarded('taskset', ['-c', '0', join(ROOT, 'bin', 'origin-signer'), 'serve', '--config', config], { stdio: ['ignore', logFd, logFd] });
  stopOnExit(() => proxy.kill('SIGTERM'));
  await waitForHttp(proxyPort);
  const proxyPid = Number(spawnSync('pgrep', ['-f', `serve --config ${config}`]).stdout.toString().trim().split('\n')[0]);
  // The Node floor (bench/node-floor.ts) runs with the launcher's V8 settings, so the two differ
  // only in what origin-signer does per request.
  const floor: ChildProcess = spawnGuarded('taskset', ['-c', '0', process.execPath, join(ROOT, 'dist', 'bench', 'node-floor.js'), String(floorPort), String(originPort)], { stdio: 'ignore' });
  stopOnExit(() => floor.kill('SIGTERM'));
  await waitForHttp(floorPort);
  const floorPid = Number(spawnSync('pgrep', ['-f', `node-floor.js ${floorPort}`]).stdout.toString().trim().split('\n')[0]);

  const targets = [
    { name: 'origin (nginx, direct)', base: `http://127.0.0.1:${originPort}/bkt/`, pid: origin.pid },
    { name: 'nginx proxy_pass', base: `http://127.0.0.1:${refPort}/bkt/`, pid: reference.pid },
    { name: 'node floor', base: `http://127.0.0.1:${floorPort}/bkt/`, pid: floorPid },
    { name: 'origin-signer (SigV4)', base: `http://127.0.0.1:${proxyPort}/p/`, pid: proxyPid },
  ];
  const scenarios = [
    { name: '1 KiB, 64 conn', path: 'small', conns: 64 },
    { name: '1 KiB, 16 conn', path: 'small', conns: 16 },
    { name: '100 MiB, 4 conn', path: 'big', conns: 4 },
  ];
  type Sample = WrkResult & { cpuPerReq: number; cpuPerGB: number };
  const samples = new Map<string, Sample[]>();
  // Warm-up, unmeasured: every scenario once for every target, so connection pools are open and
  // the JIT has compiled each path before the first measured run.
  for (const s of scenarios) for (const t of targets) await wrk(t.base + s.path, s.conns, WARMUP_SECONDS);
  for (let rep = 0; rep < REPS; rep++) {
    for (const s of scenarios) {
      for (const t of targets) {
        const c0 = cpuSeconds(t.pid);
        const r = await wrk(t.base + s.path, s.conns, SECONDS);
        const cpu = cpuSeconds(t.pid) - c0;
        const key = `${t.name}|${s.name}`;
        const list = samples.get(key) ?? [];
        list.push({ ...r, cpuPerReq: (cpu / Math.max(1, r.requests)) * 1e6, cpuPerGB: cpu / Math.max(1e-9, (r.bytesPerSec * SECONDS) / 1024 ** 3) });
        samples.set(key, list);
        process.stderr.write(`rep ${rep + 1}/${REPS} ${s.name.padEnd(16)} ${t.name.padEnd(24)} ${r.reqPerSec.toFixed(0).padStart(7)} req/s  p99 ${r.p99Ms.toFixed(2)} ms  cpu ${((cpu / Math.max(1, r.requests)) * 1e6).toFixed(1)} µs/req\n`);
      }
    }
  }
  const rssProxy = peakRssMiB(proxyPid);
  const rssRef = peakRssMiB(reference.pid);
  const rssFloor = peakRssMiB(floorPid);
  proxy.kill('SIGTERM');
  floor.kill('SIGTERM');
  reference.stop();
  origin.stop();

  const med = (t: string, s: string, f: keyof Sample): number => median((samples.get(`${t}|${s}`) ?? []).map((x) => x[f]));
  const ref = 'nginx proxy_pass';
  const us = 'origin-signer (SigV4)';
  const direct = 'origin (nginx, direct)';
  const rows = [
    ['1 KiB req/s (64 conn)', 'reqPerSec', '1 KiB, 64 conn', (v: number) => v.toFixed(0), true],
    ['CPU µs per 1 KiB request (64 conn)', 'cpuPerReq', '1 KiB, 64 conn', (v: number) => v.toFixed(1), false],
    ['p99 latency ms (1 KiB, 16 conn)', 'p99Ms', '1 KiB, 16 conn', (v: number) => v.toFixed(2), false],
    ['100 MiB MB/s (4 conn)', 'bytesPerSec', '100 MiB, 4 conn', (v: number) => (v / 1e6).toFixed(0), true],
    ['CPU s per GB (100 MiB)', 'cpuPerGB', '100 MiB, 4 conn', (v: number) => v.toFixed(3), false],
  ] as const;
  const lines = [
    `| measure | direct to origin | nginx proxy_pass (reference) | Node floor | origin-signer | origin-signer / reference |`,
    `|---|---:|---:|---:|---:|---:|`,
  ];
  for (const [label, field, scenario, fmt] of rows) {
    const d = med(direct, scenario, field);
    const r = med(ref, scenario, field);
    const o = med(us, scenario, field);
    const f = med('node floor', scenario, field);
    lines.push(`| ${label} | ${field.startsWith('cpu') ? '—' : fmt(d)} | ${fmt(r)} | ${fmt(f)} | ${fmt(o)} | ${(o / r).toFixed(2)}× |`);
  }
  lines.push(`| peak RSS MiB | — | ${rssRef.toFixed(0)} | ${rssFloor.toFixed(0)} | ${rssProxy.toFixed(0)} | ${(rssProxy / rssRef).toFixed(2)}× |`);
  const p99Gap = med(us, '1 KiB, 16 conn', 'p99Ms') - med(direct, '1 KiB, 16 conn', 'p99Ms');
  const when = new Date().toISOString();
  const report = [
    `# origin-signer benchmark — ${when}`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; proxies pinned to core 0, origin and wrk to core 1;`,
    `${REPS} interleaved repetitions of ${SECONDS} s per scenario, medians. Log level ${process.env.BENCH_LOG_LEVEL ?? 'info'} (to a file).`,
    '',
    ...lines,
    '',
    `p99 at 16 connections, origin-signer minus direct: ${p99Gap.toFixed(2)} ms.`,
    '',
  ].join('\n');
  const out = join(ROOT, 'bench', 'results', `proxy-${when.replace(/[:.]/g, '-')}.md`);
  writeFileSync(out, report);
  writeFileSync(join(ROOT, 'bench', 'results', 'latest.md'), report);
  console.log(report);
  console.log(`written to ${out}`);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
