// Helpers shared by the proxy benchmarks: free ports, nginx processes, wrk runs, /proc readings,
// and stopping every process a benchmark started when it exits (normally, on an error, on a
// signal). Traffic Server is in traffic-server.ts, the Node targets in targets.ts.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim() || 100);

// Stop functions run on exit, whatever the reason; each is synchronous (a signal) and runs once.
const atExit = new Map<number, () => void>();
let atExitId = 0;
let exitHooked = false;
/** Runs `stop` when the benchmark exits (normally, on a throw or on SIGINT/SIGTERM/SIGHUP); returns a stop that runs it now instead. */
export function stopOnExit(stop: () => void): () => void {
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', () => {
      for (const f of atExit.values()) {
        try {
          f();
        } catch {
          // already gone
        }
      }
      atExit.clear();
    });
    for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) process.on(sig, () => process.exit(code));
  }
  const id = atExitId++;
  atExit.set(id, stop);
  return () => {
    if (atExit.delete(id)) stop();
  };
}

/**
 * spawn(), with the child told to stop (SIGTERM) should the benchmark die without running its exit
 * hook (SIGKILL, a crash): `setpriv --pdeathsig TERM` execs the command, so the pid is the
 * command's. Together with stopOnExit, no server outlives the benchmark.
 */
export function spawnGuarded(cmd: string, args: string[], opts: SpawnOptions): ChildProcess {
  return spawn('setpriv', ['--pdeathsig', 'TERM', cmd, ...args], opts);
}

/** Runs a command to its end, without blocking the event loop (signals stay handled); killed after `timeoutMs` or on exit. */
export function run(cmd: string, args: string[], timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnGuarded(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stop = stopOnExit(() => child.kill('SIGKILL'));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', (err) => {
      clearTimeout(timer);
      stop();
      reject(err);
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      stop(); // already exited: only forgets it
      resolve({ status, stdout, stderr });
    });
  });
}

export function need(cmd: string): void {
  if (spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0) {
    console.error(`bench: ${cmd} is not installed (run: bash scripts/bench/install.sh)`);
    process.exit(1);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** utime + stime of a process and its threads, in seconds. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Adds `v` to the list `m` holds under `k`. */
export const append = <T>(m: Map<string, T[]>, k: string, v: T): void => void m.set(k, [...(m.get(k) ?? []), v]);

/** The pids of a process's direct children (a cluster's workers). */
export const childrenOf = (pid: number): number[] => spawnSync('pgrep', ['-P', String(pid)]).stdout.toString().trim().split('\n').filter(Boolean).map(Number);

/** CPU seconds of a process and its direct children (a cluster's workers); a child that just exited counts 0. */
export function treeCpuSeconds(pid: number): number {
  return [pid, ...childrenOf(pid)].reduce((sum, p) => {
    try {
      return sum + cpuSeconds(p);
    } catch {
      return sum;
    }
  }, 0);
}
export const peakRssMiB = (pid: number): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
export const rssMiB = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
/** Resets the peak RSS (VmHWM) of a process to its current RSS (Linux ≥ 4.0: clear_refs 5), so a peak can be read per load. */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** Pins every thread of a process (not only the main one) to one core. */
export function pinAllThreads(pid: number, core: number): void {
  const r = spawnSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`taskset -a -p ${core} ${pid} failed: ${r.stderr}`);
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const allowed = /Cpus_allowed_list:\s+(\S+)/.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'))?.[1];
    if (allowed !== String(core)) throw new Error(`thread ${tid} of ${pid} may run on cores ${allowed}, not only ${core}`);
  }
}

/** How long a server started under valgrind may take to answer: everything runs ~50× slower. */
export const UNDER_READY_MS = 120_000;

/** Waits until something answers HTTP on `port` (10 s; UNDER_READY_MS for a server started under valgrind). */
export async function waitForHttp(port: number, timeoutMs = 10_000): Promise<void> {
  for (let i = 0; i < timeoutMs / 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`nothing answers on ${port}`);
}

/**
 * An nginx master + one worker; returns the worker's pid (the one doing the work). With `under`
 * (a command that runs nginx, valgrind), one process with no master, whose pid is returned.
 */
export async function startNginx(dir: string, name: string, core: number | undefined, body: string, under: readonly string[] = []): Promise<{ pid: number; stop(): void }> {
  const conf = join(dir, `${name}.conf`);
  const single = under.length > 0;
  writeFileSync(
    conf,
    `daemon off; master_process ${single ? 'off' : 'on'}; worker_processes 1; ${core === undefined ? '' : `worker_cpu_affinity ${core === 0 ? '01' : '10'};`} pid ${dir}/${name}.pid; error_log ${dir}/${name}.err warn;
events { worker_connections 4096; }
http { access_log off; sendfile on; tcp_nodelay on; keepalive_requests 1000000; keepalive_timeout 60s;
  client_body_temp_path ${dir}/${name}-body; proxy_temp_path ${dir}/${name}-proxy; fastcgi_temp_path ${dir}/${name}-fcgi; uwsgi_temp_path ${dir}/${name}-uwsgi; scgi_temp_path ${dir}/${name}-scgi;
  ${body} }`,
  );
  const [cmd, ...args] = [...under, 'nginx', '-c', conf, '-p', dir];
  const child = spawnGuarded(cmd!, args, { stdio: 'ignore' });
  // SIGTERM: fast shutdown (the master stops its worker), for an exit in the middle of a run.
  const stop = stopOnExit(() => child.kill('SIGTERM'));
  if (single) return { pid: child.pid!, stop };
  let workerPid = 0;
  for (let i = 0; i < 100 && !workerPid; i++) {
    await new Promise((r) => setTimeout(r, 50));
    workerPid = childrenOf(child.pid!)[0] ?? 0;
  }
  if (!workerPid) throw new Error(`nginx ${name} did not start (see ${dir}/${name}.err)`);
  return { pid: workerPid, stop };
}

export interface WrkResult {
  requests: number;
  reqPerSec: number;
  bytesPerSec: number;
  p99Ms: number;
}

function parseSize(v: string, unit: string): number {
  const m: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
  return Number(v) * (m[unit] ?? 1);
}

/**
 * wrk on `cores` (a taskset list, e.g. '1' or '0,1'); stops by itself after `seconds` (killed 60 s
 * later should it hang). `script`: a Lua file for wrk's `-s` (e.g. one that spreads the requests
 * over many paths).
 */
export async function wrk(url: string, connections: number, seconds: number, cores = '1', script?: string): Promise<WrkResult> {
  const args = ['-c', cores, 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', ...(script ? ['-s', script] : []), url];
  const r = await run('taskset', args, (seconds + 60) * 1000);
  if (r.status !== 0) throw new Error(`wrk failed (${r.status}): ${r.stderr}`);
  const out = r.stdout;
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const reqPerSec = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const t = /Transfer\/sec:\s+([\d.]+)(\w+)/.exec(out);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const p99Ms = p99 ? Number(p99[1]) * (p99[2] === 'us' ? 0.001 : p99[2] === 's' ? 1000 : 1) : NaN;
  if (/Non-2xx or 3xx responses: (\d+)/.test(out)) throw new Error(`non-2xx responses from ${url}:\n${out}`);
  return { requests, reqPerSec, bytesPerSec: t ? parseSize(t[1]!, t[2]!) : 0, p99Ms };
}

/**
 * CPU seconds per GB moved, GB being 2³⁰ bytes in every report: the unit issue #17's s/GB targets
 * and the earlier runs were taken in (the launcher bench used 10⁹ before, bench/README.md says from when).
 */
export const cpuPerGB = (cpu: number, bytes: number): number => cpu / (Math.max(1, bytes) / 2 ** 30);

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Writes a report to bench/results, as `<stem>-<time>.md` and as `latest`, and prints it. */
export function publishReport(stem: string, latest: string, when: string, report: string): void {
  const out = join(ROOT, 'bench', 'results', `${stem}-${when.replace(/[:.]/g, '-')}.md`);
  writeFileSync(out, report);
  writeFileSync(join(ROOT, 'bench', 'results', latest), report);
  console.log(report);
  console.log(`written to ${out}`);
}
