// Does a Node flag of the launcher earn its place? (issue #17: "a runtime flag only where a
// benchmark shows it matters".) Two origin-signer instances run side by side in front of one nginx
// origin: node with the flag under test (BENCH_FLAG, default --single-threaded-gc) and the same
// build on stock node. Both get MALLOC_ARENA_MAX=2 as the launcher sets it. Two placements:
// pinned (one worker on core 0, as `npm run bench` runs it) and as production runs it (workers:
// auto, nothing pinned). wrk loads 1 KiB GETs (64 connections) and 100 MiB GETs (4 connections),
// interleaved and repeated; CPU is read from /proc for the whole process tree.
// BENCH_NODE: the node binary (e.g. .node24/bin/node, the Docker image's runtime).
import { spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { append, childrenOf, cpuPerGB, freePort, median, need, peakRssMiB, ROOT, startNginx, treeCpuSeconds, wrk } from './harness.js';
import { startServe, waitGone } from './targets.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const FLAG = process.env.BENCH_FLAG ?? '--single-threaded-gc';
const NODE = process.env.BENCH_NODE ?? process.execPath;
const ALL_CORES = cpus().map((_, i) => i).join(',');

interface Instance {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
}

/** The largest peak RSS of a cluster's workers, or the process's own without workers. */
function workerPeakRssMiB(pid: number): number {
  const workers = childrenOf(pid);
  return Math.max(...(workers.length > 0 ? workers : [pid]).map(peakRssMiB));
}

async function start(dir: string, name: string, flags: string[], pinned: boolean, originPort: number): Promise<Instance> {
  const node = [NODE, ...flags, join(ROOT, 'dist', 'src', 'cli.js')];
  const { port, child } = await startServe(dir, name, {
    command: pinned ? ['taskset', '-c', '0', ...node] : node,
    workers: pinned ? 1 : 'auto',
    originPort,
    logLevel: 'info',
    env: { ...process.env, MALLOC_ARENA_MAX: '2' },
  });
  return { name, port, child };
}

/** The pid of the node process itself (under taskset it is the same pid: taskset execs). */
const pidOf = (i: Instance): number => i.child.pid!;

async function main(): Promise<void> {
  for (const cmd of ['nginx', 'wrk', 'taskset', 'setpriv', 'pgrep']) need(cmd);
  const dir = mkdtempSync(join(tmpdir(), 'os-bench-launcher-'));
  mkdirSync(join(dir, 'www', 'bkt'), { recursive: true });
  writeFileSync(join(dir, 'www', 'bkt', 'small'), Buffer.alloc(1024, 'a'));
  writeFileSync(join(dir, 'www', 'bkt', 'big'), Buffer.alloc(100 * 1024 * 1024, 'b'));
  for (const p of [dir, join(dir, 'www'), join(dir, 'www', 'bkt')]) chmodSync(p, 0o755);
  const originPort = await freePort();
  const origin = await startNginx(dir, 'origin', undefined, `server { listen 127.0.0.1:${originPort}; root ${dir}/www; }`);
  const nodeVersion = spawnSync(NODE, ['--version']).stdout.toString().trim();
  const rows: string[] = [];
  for (const pinned of [true, false]) {
    const place = pinned ? 'pinned, workers: 1' : 'unpinned, workers: auto';
    const pair = [await start(dir, `flag-${pinned}`, [FLAG], pinned, originPort), await start(dir, `stock-${pinned}`, [], pinned, originPort)];
    const wrkCores = pinned ? '1' : ALL_CORES;
    const loads = [
      { name: '1 KiB', path: 'small', conns: 64 },
      { name: '100 MiB', path: 'big', conns: 4 },
    ];
    const samples = new Map<string, { perReq: number; perGB: number; mbps: number }[]>();
    for (const l of loads) for (const i of pair) await wrk(`http://127.0.0.1:${i.port}/p/${l.path}`, l.conns, 2, wrkCores);
    for (let rep = 0; rep < REPS; rep++) {
      for (const l of loads) {
        for (const i of pair) {
          const c0 = treeCpuSeconds(pidOf(i));
          const r = await wrk(`http://127.0.0.1:${i.port}/p/${l.path}`, l.conns, SECONDS, wrkCores);
          const cpu = treeCpuSeconds(pidOf(i)) - c0;
          const s = { perReq: (cpu / Math.max(1, r.requests)) * 1e6, perGB: cpuPerGB(cpu, r.bytesPerSec * SECONDS), mbps: r.bytesPerSec / 1e6 };
          append(samples, `${i.name}|${l.name}`, s);
          process.stderr.write(`${place} rep ${rep + 1}/${REPS} ${i.name.padEnd(12)} ${l.name.padEnd(7)} ${l.name === '1 KiB' ? `${s.perReq.toFixed(1)} µs/req` : `${s.perGB.toFixed(3)} s/GB ${s.mbps.toFixed(0)} MB/s`}\n`);
        }
      }
    }
    const med = (i: Instance, l: string, f: 'perReq' | 'perGB' | 'mbps'): number => median((samples.get(`${i.name}|${l}`) ?? []).map((x) => x[f]));
    const [withFlag, stock] = pair as [Instance, Instance];
    for (const [label, i] of [[`${FLAG}`, withFlag], ['stock', stock]] as const) {
      rows.push(`| ${place} | ${label} | ${med(i, '1 KiB', 'perReq').toFixed(1)} | ${med(i, '100 MiB', 'perGB').toFixed(3)} | ${med(i, '100 MiB', 'mbps').toFixed(0)} | ${workerPeakRssMiB(pidOf(i)).toFixed(0)} |`);
    }
    rows.push(`| ${place} | ratio | ${(med(withFlag, '1 KiB', 'perReq') / med(stock, '1 KiB', 'perReq')).toFixed(2)}× | ${(med(withFlag, '100 MiB', 'perGB') / med(stock, '100 MiB', 'perGB')).toFixed(2)}× | ${(med(withFlag, '100 MiB', 'mbps') / med(stock, '100 MiB', 'mbps')).toFixed(2)}× | |`);
    for (const i of pair) i.child.kill('SIGTERM');
    for (const i of pair) await waitGone(pidOf(i));
  }
  origin.stop();
  const report = [
    `# origin-signer launcher flag benchmark — ${new Date().toISOString()}`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${nodeVersion}; ${FLAG} against stock node, both with MALLOC_ARENA_MAX=2;`,
    `${REPS} interleaved repetitions of ${SECONDS} s, medians; CPU of the whole process tree. Pinned: proxy on core 0, origin and wrk on core 1.`,
    '',
    '| placement | node | CPU µs per 1 KiB request (64 conn) | CPU s per GB (100 MiB, 4 conn) | MB/s | peak RSS MiB (a worker) |',
    '|---|---|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
  const suffix = nodeVersion.startsWith('v20') ? '' : `-${nodeVersion.split('.')[0]}`;
  writeFileSync(join(ROOT, 'bench', 'results', `launcher${suffix}-latest.md`), report);
  console.log(report);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
