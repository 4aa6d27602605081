// The Node targets the proxy and cache benchmarks start (origin-signer through its production
// launcher, the Node floors), and small helpers they share: a fresh process's readiness and end,
// a proof that a proxy signs, a single download with curl.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CREDS } from './creds.js';
import { freePort, ROOT, run, spawnGuarded, stopOnExit, UNDER_READY_MS, waitForHttp } from './harness.js';


export interface Started {
  pid: number;
  port: number;
  stop(): void;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Running (not gone, not a zombie). */
export function alive(pid: number): boolean {
  try {
    return !/State:\s+Z/.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}
export async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(50);
}

/** A tool's version, from what it prints for `args`. */
export function version(cmd: string, args: string[], re: RegExp): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return re.exec(`${r.stdout}${r.stderr}`)?.[1] ?? '?';
}

/** The bench origin's nginx server: the objects under `www`, and /bkt/_auth echoing the Authorization it got (checkSigns). */
export const originServer = (port: number, www: string): string => `server { listen 127.0.0.1:${port}; root ${www};
       location = /bkt/_auth { default_type text/plain; return 200 "$http_authorization\\n"; } }`;

/** nginx `proxy_pass`, the plain reference hop: upstream keep-alive, buffered, no signing. */
export const referenceProxy = (port: number, originPort: number): string => `upstream o { server 127.0.0.1:${originPort}; keepalive 128; }
     server { listen 127.0.0.1:${port}; location / { proxy_pass http://o; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering on; } }`;

/** The YAML of one proxy block signing SigV4 (header mode) for the bench's bucket `bkt` on the origin, path-style. */
export function signingBlock(path: string, originPort: number, extra = ''): string {
  return `  - path: ${path}
    upstream: { bucket: bkt, region: ${CREDS.region}, endpoint: "http://127.0.0.1:${originPort}", addressing: path }
    credentials: { accessKeyId: ${CREDS.accessKeyId}, secretAccessKey: ${CREDS.secretAccessKey} }
${extra}`;
}

/**
 * origin-signer (bin/origin-signer, the production launcher: --single-threaded-gc, MALLOC_ARENA_MAX=2) on
 * core 0, logging to a file as in production (a terminal would cost more than the proxy). `rest`
 * is the config after `server:` and `log:` (top-level `cache:`, `proxies:`). `under`: a command
 * that runs the launcher (valgrind), given a longer time to answer.
 */
export async function startOriginSigner(dir: string, name: string, logLevel: string, rest: string, under: readonly string[] = []): Promise<Started> {
  const [port, adminPort] = await Promise.all([freePort(), freePort()]);
  const config = join(dir, `${name}.yaml`);
  writeFileSync(config, `server: { host: 127.0.0.1, port: ${port}, admin: { host: 127.0.0.1, port: ${adminPort} } }\nlog: { level: ${logLevel} }\n${rest}`);
  const logFd = openSync(join(dir, `${name}.log`), 'w');
  const child = spawnGuarded('taskset', ['-c', '0', ...under, join(ROOT, 'bin', 'origin-signer'), 'serve', '--config', config], { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const stop = stopOnExit(() => child.kill('SIGTERM'));
  await waitForHttp(port, under.length ? UNDER_READY_MS : undefined);
  const pid = Number(spawnSync('pgrep', ['-f', `serve --config ${config}`]).stdout.toString().trim().split('\n')[0]);
  if (!pid) throw new Error(`origin-signer ${name}: no process found (see ${dir}/${name}.log)`);
  return { pid, port, stop };
}

/**
 * `serve` with `workers` and one signing block (/p/) in front of the origin, started by `command`
 * (its argv up to the CLI's own arguments: the launcher, or node with flags, maybe under taskset),
 * logging to a file. Ready once it answers and every worker had a second to listen.
 */
export async function startServe(dir: string, name: string, o: { command: readonly string[]; workers: number | 'auto'; originPort: number; logLevel: string; env?: NodeJS.ProcessEnv }): Promise<{ port: number; child: ChildProcess }> {
  const [port, adminPort] = await Promise.all([freePort(), freePort()]);
  const config = join(dir, `${name}.yaml`);
  writeFileSync(config, `server: { host: 127.0.0.1, port: ${port}, workers: ${o.workers}, admin: { host: 127.0.0.1, port: ${adminPort} } }\nlog: { level: ${o.logLevel} }\nproxies:\n${signingBlock('/p/', o.originPort)}`);
  const logFd = openSync(join(dir, `${name}.log`), 'w');
  const [cmd, ...args] = o.command;
  const child = spawnGuarded(cmd!, [...args, 'serve', '--config', config], { stdio: ['ignore', logFd, logFd], ...(o.env ? { env: o.env } : {}) });
  closeSync(logFd);
  stopOnExit(() => child.kill('SIGTERM'));
  await waitForHttp(port);
  await sleep(1000);
  return { port, child };
}

/**
 * A bench server in Node (`dist/bench/<script>`, called with its port first, then `args`) on
 * core 0, on stock Node (a floor has no runtime flags, issue #17) with the launcher's MALLOC_ARENA_MAX;
 * `under`: a command that runs Node (valgrind).
 */
export async function startNodeServer(script: string, args: string[], under: readonly string[] = []): Promise<Started> {
  const port = await freePort();
  const child = spawnGuarded('taskset', ['-c', '0', ...under, process.execPath, join(ROOT, 'dist', 'bench', script), String(port), ...args], {
    stdio: 'ignore',
    env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
  });
  const stop = stopOnExit(() => child.kill('SIGTERM'));
  await waitForHttp(port, under.length ? UNDER_READY_MS : undefined);
  const pid = Number(spawnSync('pgrep', ['-f', `${script} ${port}`]).stdout.toString().trim().split('\n')[0]);
  if (!pid) throw new Error(`${script}: no process found`);
  return { pid, port, stop };
}

/** The Authorization header the origin saw, for one request through a signing proxy: proves the proxy signs SigV4. */
export async function checkSigns(name: string, url: string): Promise<void> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const seen = (await res.text()).trim();
  const want = new RegExp(`^AWS4-HMAC-SHA256 Credential=${CREDS.accessKeyId}/\\d{8}/${CREDS.region}/s3/aws4_request, ?SignedHeaders=[^,]+, ?Signature=[0-9a-f]{64}$`);
  if (res.status !== 200 || !want.test(seen)) throw new Error(`${name} does not sign SigV4: the origin saw status ${res.status}, Authorization "${seen}"`);
}

/** One GET with curl on core 1 (bounded by --max-time); checks status and size; returns the seconds it took. */
export async function download(url: string, bytes: number): Promise<number> {
  const r = await run('taskset', ['-c', '1', 'curl', '-sS', '-o', '/dev/null', '--max-time', '300', '-w', '%{http_code} %{size_download} %{time_total}', url], 330_000);
  const [code, size, seconds] = r.stdout.trim().split(' ');
  if (r.status !== 0 || code !== '200' || Number(size) !== bytes) throw new Error(`download ${url}: curl exit ${r.status}, status ${code}, ${size} of ${bytes} bytes ${r.stderr}`);
  return Number(seconds);
}
