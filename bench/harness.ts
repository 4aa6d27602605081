// Helpers shared by the proxy benchmarks: free ports, nginx processes, wrk runs, /proc readings.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim() || 100);

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
export const peakRssMiB = (pid: number): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

export async function waitForHttp(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`nothing answers on ${port}`);
}

/** An nginx master + one worker; returns the worker's pid (the one doing the work). */
export async function startNginx(dir: string, name: string, core: number | undefined, body: string): Promise<{ pid: number; stop(): void }> {
  const conf = join(dir, `${name}.conf`);
  writeFileSync(
    conf,
    `daemon off; master_process on; worker_processes 1; ${core === undefined ? '' : `worker_cpu_affinity ${core === 0 ? '01' : '10'};`} pid ${dir}/${name}.pid; error_log ${dir}/${name}.err warn;
events { worker_connections 4096; }
http { access_log off; sendfile on; tcp_nodelay on; keepalive_requests 1000000; keepalive_timeout 60s;
  client_body_temp_path ${dir}/${name}-body; proxy_temp_path ${dir}/${name}-proxy; fastcgi_temp_path ${dir}/${name}-fcgi; uwsgi_temp_path ${dir}/${name}-uwsgi; scgi_temp_path ${dir}/${name}-scgi;
  ${body} }`,
  );
  const child = spawn('nginx', ['-c', conf, '-p', dir], { stdio: 'ignore' });
  let workerPid = 0;
  for (let i = 0; i < 100 && !workerPid; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const out = spawnSync('pgrep', ['-P', String(child.pid)]).stdout.toString().trim();
    workerPid = Number(out.split('\n')[0] ?? 0);
  }
  if (!workerPid) throw new Error(`nginx ${name} did not start (see ${dir}/${name}.err)`);
  return { pid: workerPid, stop: () => child.kill('SIGQUIT') };
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

/** wrk on `cores` (a taskset list, e.g. '1' or '0,1'). */
export function wrk(url: string, connections: number, seconds: number, cores = '1'): WrkResult {
  const r = spawnSync('taskset', ['-c', cores, 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  const out = r.stdout;
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const reqPerSec = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const t = /Transfer\/sec:\s+([\d.]+)(\w+)/.exec(out);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const p99Ms = p99 ? Number(p99[1]) * (p99[2] === 'us' ? 0.001 : p99[2] === 's' ? 1000 : 1) : NaN;
  if (/Non-2xx or 3xx responses: (\d+)/.test(out)) throw new Error(`non-2xx responses from ${url}:\n${out}`);
  return { requests, reqPerSec, bytesPerSec: t ? parseSize(t[1]!, t[2]!) : 0, p99Ms };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

