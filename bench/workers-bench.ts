// Does `server.workers` scale with cores? (issue "Performance"; bench/README.md.) Two
// origin-signer instances run side by side in front of one nginx origin: `workers: 1` and
// `workers: N` (default: one per core, what `workers: auto` picks). wrk loads each in turn with
// 1 KiB GETs, interleaved and repeated. Nothing is pinned: on a small machine the proxy's workers
// share the cores with nginx and wrk, so the report gives, next to req/s, the CPU the proxy
// processes used (all workers and the primary, from /proc) — scaling is good when req/s grows with
// the CPU the workers get and the CPU per request stays flat.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { append, freePort, median, need, ROOT, startNginx, treeCpuSeconds, wrk } from './harness.js';
import { startServe } from './targets.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const CONNECTIONS = 64;
const MANY = Number(process.env.BENCH_WORKERS ?? cpus().length);
const ALL_CORES = cpus().map((_, i) => i).join(',');

/** origin-signer through its launcher, nothing pinned. */
const startProxy = (dir: string, name: string, workers: number, originPort: number): Promise<{ port: number; child: ChildProcess }> =>
  startServe(dir, name, { command: [join(ROOT, 'bin', 'origin-signer')], workers, originPort, logLevel: process.env.BENCH_LOG_LEVEL ?? 'info' });

async function main(): Promise<void> {
  for (const cmd of ['nginx', 'wrk', 'taskset', 'setpriv', 'pgrep']) need(cmd);
  const dir = mkdtempSync(join(tmpdir(), 'os-bench-workers-'));
  mkdirSync(join(dir, 'www', 'bkt'), { recursive: true });
  writeFileSync(join(dir, 'www', 'bkt', 'small'), Buffer.alloc(1024, 'a'));
  for (const p of [dir, join(dir, 'www'), join(dir, 'www', 'bkt')]) chmodSync(p, 0o755);
  const originPort = await freePort();
  const origin = await startNginx(dir, 'origin', undefined, `server { listen 127.0.0.1:${originPort}; root ${dir}/www; }`);
  const targets = [
    { name: 'workers: 1', ...(await startProxy(dir, 'one', 1, originPort)) },
    { name: `workers: ${MANY}`, ...(await startProxy(dir, 'many', MANY, originPort)) },
  ];
  type Sample = { reqPerSec: number; cpuPerReq: number; cores: number };
  const samples = new Map<string, Sample[]>();
  const direct: number[] = [];
  for (const t of targets) await wrk(`http://127.0.0.1:${t.port}/p/small`, 16, 2, ALL_CORES);
  for (let rep = 0; rep < REPS; rep++) {
    direct.push((await wrk(`http://127.0.0.1:${originPort}/bkt/small`, CONNECTIONS, SECONDS, ALL_CORES)).reqPerSec);
    for (const t of targets) {
      const pid = t.child.pid!;
      const c0 = treeCpuSeconds(pid);
      const r = await wrk(`http://127.0.0.1:${t.port}/p/small`, CONNECTIONS, SECONDS, ALL_CORES);
      const cpu = treeCpuSeconds(pid) - c0;
      const s = { reqPerSec: r.reqPerSec, cpuPerReq: (cpu / Math.max(1, r.requests)) * 1e6, cores: cpu / SECONDS };
      append(samples, t.name, s);
      process.stderr.write(`rep ${rep + 1}/${REPS} ${t.name.padEnd(12)} ${s.reqPerSec.toFixed(0).padStart(7)} req/s  ${s.cpuPerReq.toFixed(1)} µs CPU/req  ${s.cores.toFixed(2)} cores\n`);
    }
  }
  for (const t of targets) t.child.kill('SIGTERM');
  origin.stop();

  const med = (name: string, f: keyof Sample): number => median((samples.get(name) ?? []).map((x) => x[f]));
  const one = targets[0]!.name;
  const many = targets[1]!.name;
  const when = new Date().toISOString();
  const report = [
    `# origin-signer workers benchmark — ${when}`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; nothing pinned (proxy workers, nginx origin and wrk share the cores);`,
    `1 KiB GETs at ${CONNECTIONS} connections, ${REPS} interleaved repetitions of ${SECONDS} s, medians. Direct to the origin: ${median(direct).toFixed(0)} req/s.`,
    '',
    `| proxy | req/s | CPU µs per request (all processes) | cores used by the proxy |`,
    `|---|---:|---:|---:|`,
    ...[one, many].map((n) => `| ${n} | ${med(n, 'reqPerSec').toFixed(0)} | ${med(n, 'cpuPerReq').toFixed(1)} | ${med(n, 'cores').toFixed(2)} |`),
    '',
    `${many} / workers: 1 — req/s ${(med(many, 'reqPerSec') / med(one, 'reqPerSec')).toFixed(2)}×, CPU per request ${(med(many, 'cpuPerReq') / med(one, 'cpuPerReq')).toFixed(2)}×, cores used ${(med(many, 'cores') / med(one, 'cores')).toFixed(2)}×.`,
    '',
  ].join('\n');
  writeFileSync(join(ROOT, 'bench', 'results', 'workers-latest.md'), report);
  console.log(report);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
