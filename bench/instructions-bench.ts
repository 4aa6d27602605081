// Instructions per 1 KiB request (bench/README.md, "Instructions"): each proxy of the proxy
// benchmark runs under valgrind's callgrind, which counts the instructions every thread of it
// executes; after a warm-up the counters are zeroed, a fixed number of requests goes through, and
// the count is read. Unlike CPU seconds on a shared VM (±30 % between runs, bench/NOTES.md), the
// count repeats within a few per cent, so it can tell a 5 % change apart. It does not see cache
// misses, stalls or the kernel: it complements `npm run bench`, it does not replace it.
// Loopback only; the origin (nginx) runs natively; every process started is stopped on exit.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { freePort, median, need, publishReport, startNginx, UNDER_READY_MS, waitForHttp } from './harness.js';
import { CREDS } from './creds.js';
import { checkSigns, originServer, referenceProxy, signingBlock, startNodeServer, startOriginSigner, version, waitGone, type Started } from './targets.js';
import { S3_AUTH_SO, startTrafficServer } from './traffic-server.js';

const WARMUP = Number(process.env.BENCH_WARMUP_REQUESTS ?? 10_000);
/** Counted windows of WINDOW requests after the warm-up, until SETTLED of them agree within SETTLED_WITHIN (at most MAX_WINDOWS). */
const WINDOW = Number(process.env.BENCH_WINDOW_REQUESTS ?? 2_000);
/** Then the count reported: one window this long, so the occasional full collection is in it at its rate. */
const COUNTED = Number(process.env.BENCH_REQUESTS ?? 10_000);
const SETTLED = 3;
const SETTLED_WITHIN = 0.05;
const MAX_WINDOWS = Number(process.env.BENCH_MAX_WINDOWS ?? 16);
const CONNECTIONS = 64;
const SMALL = 1024;

/** `count` GETs of `url`, `CONNECTIONS` at a time; every one must be a 200 of the 1 KiB object. */
async function load(url: URL, count: number): Promise<void> {
  const pool = new Pool(url.origin, { connections: CONNECTIONS });
  let left = count;
  const one = async (): Promise<void> => {
    while (left-- > 0) {
      const r = await pool.request({ method: 'GET', path: url.pathname });
      const body = Buffer.from(await r.body.arrayBuffer());
      if (r.statusCode !== 200 || body.length !== SMALL) throw new Error(`${url}: status ${r.statusCode}, ${body.length} bytes`);
    }
  };
  try {
    await Promise.all(Array.from({ length: CONNECTIONS }, one));
  } finally {
    await pool.close();
  }
}

/** Runs callgrind_control for the process (`-z` zeroes its counters, `-d` dumps them). */
function control(flag: '-z' | '-d', pid: number): void {
  const r = spawnSync('callgrind_control', [flag, String(pid)], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`callgrind_control ${flag} ${pid}: ${r.stderr || r.stdout}`);
}

/** The instructions of dump `k` (its `summary:` line): every thread of the process, since the last zero. */
function dumpedInstructions(dir: string, name: string, pid: number, k: number): number {
  const file = join(dir, `${name}.cg.${pid}.${k}`);
  if (!existsSync(file)) throw new Error(`no callgrind dump ${file}`);
  const n = Number(/^summary: (\d+)$/m.exec(readFileSync(file, 'utf8'))?.[1]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${file}: no summary line`);
  return n;
}

/** The last SETTLED windows agree within SETTLED_WITHIN of their median. */
function settled(counts: readonly number[]): boolean {
  const last = counts.slice(-SETTLED);
  const m = median([...last]);
  return last.length === SETTLED && last.every((c) => Math.abs(c - m) <= SETTLED_WITHIN * m);
}

/**
 * Instructions per request through one target started under callgrind by `start`: each window's
 * figure, whether they settled, and the long window counted after them. Under valgrind V8's compiler threads finish their work in wall
 * time, so a Node process keeps compiling for 15,000–20,000 requests: the first windows count up
 * to twice the settled figure (bench/NOTES.md). Windows go on until the last ones agree.
 */
async function measure(dir: string, name: string, start: (under: readonly string[]) => Promise<Started & { url: URL }>): Promise<{ windows: number[]; settled: boolean; counted: number }> {
  // Counted from the start; zeroed after the warm-up. `%p`: the pid that ends up running the server.
  const under = ['valgrind', '--tool=callgrind', '--trace-children=yes', `--callgrind-out-file=${join(dir, `${name}.cg.%p`)}`, `--log-file=${join(dir, `${name}.valgrind.log`)}`];
  const t = await start(under);
  try {
    process.stderr.write(`${name}: warming up (${WARMUP} requests)\n`);
    await load(t.url, WARMUP);
    const windows: number[] = [];
    let k = 0;
    const count = async (requests: number): Promise<number> => {
      control('-z', t.pid);
      await load(t.url, requests);
      control('-d', t.pid);
      return dumpedInstructions(dir, name, t.pid, ++k) / requests;
    };
    while (windows.length < MAX_WINDOWS && !settled(windows)) windows.push(await count(WINDOW));
    return { windows, settled: settled(windows), counted: await count(COUNTED) };
  } finally {
    t.stop();
    await waitGone(t.pid);
  }
}

async function main(): Promise<void> {
  for (const cmd of ['valgrind', 'callgrind_control', 'nginx', 'traffic_server', 'taskset', 'setpriv', 'pgrep']) need(cmd);
  if (!existsSync(S3_AUTH_SO)) need('s3_auth.so');
  const dir = mkdtempSync(join(tmpdir(), 'os-bench-instr-'));
  const www = join(dir, 'www');
  mkdirSync(join(www, 'bkt'), { recursive: true });
  writeFileSync(join(www, 'bkt', 'small'), Buffer.alloc(SMALL, 'a'));
  for (const p of [dir, www, join(www, 'bkt')]) chmodSync(p, 0o755);
  const originPort = await freePort();
  const origin = await startNginx(dir, 'origin', 1, originServer(originPort, www));
  const on = (port: number, prefix: string): URL => new URL(`http://127.0.0.1:${port}${prefix}small`);

  const targets: Array<[string, (under: readonly string[]) => Promise<Started & { url: URL }>]> = [
    ['nginx proxy_pass', async (under) => {
      const port = await freePort();
      const n = await startNginx(dir, 'reference', undefined, referenceProxy(port, originPort), ['taskset', '-c', '0', ...under]);
      await waitForHttp(port, UNDER_READY_MS);
      return { ...n, port, url: on(port, '/bkt/') };
    }],
    ['Traffic Server s3_auth', async (under) => {
      const port = await freePort();
      const ats = await startTrafficServer(dir, 'ats', 0, { port, originBase: `http://127.0.0.1:${originPort}`, prefix: '/bkt/', ...CREDS, under });
      await checkSigns('Traffic Server s3_auth', `http://127.0.0.1:${port}/bkt/_auth`);
      return { ...ats, port, url: on(port, '/bkt/') };
    }],
    ['Node floor', async (under) => {
      const f = await startNodeServer('node-floor.js', [String(originPort)], under);
      return { ...f, url: on(f.port, '/bkt/') };
    }],
    ['Node floor + aws4 SigV4', async (under) => {
      const f = await startNodeServer('node-floor-sigv4.js', [String(originPort)], under);
      await checkSigns('Node floor + aws4 SigV4', `http://127.0.0.1:${f.port}/bkt/_auth`);
      return { ...f, url: on(f.port, '/bkt/') };
    }],
    ['origin-signer (SigV4)', async (under) => {
      const p = await startOriginSigner(dir, 'origin-signer', 'info', `proxies:\n${signingBlock('/p/', originPort)}`, under);
      await checkSigns('origin-signer', `http://127.0.0.1:${p.port}/p/_auth`);
      return { ...p, url: on(p.port, '/p/') };
    }],
  ];
  process.stderr.write(`bench: ${targets.length} targets under callgrind, ${WARMUP} requests to warm up, windows of ${WINDOW} until ${SETTLED} agree, then ${COUNTED} counted (1–6 min each); files in ${dir}\n`);
  const perRequest = new Map<string, number>();
  const windows = new Map<string, string>();
  for (const [name, start] of targets) {
    const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    const m = await measure(dir, slug, start);
    perRequest.set(name, m.counted);
    windows.set(name, `${m.windows.length}${m.settled ? '' : ' (not settled)'}`);
    process.stderr.write(`${name}: windows ${m.windows.map((c) => Math.round(c)).join(' ')}, then ${Math.round(m.counted)} instructions per request\n`);
  }
  origin.stop();
  await waitGone(origin.pid);

  const floor = perRequest.get('Node floor')!;
  const signingFloor = perRequest.get('Node floor + aws4 SigV4')!;
  const when = new Date().toISOString();
  const report = [
    `# origin-signer instructions per request — ${when}`,
    '',
    `valgrind ${version('valgrind', ['--version'], /valgrind-(\S+)/)} (callgrind), Node ${process.version}, nginx ${version('nginx', ['-v'], /nginx\/(\S+)/)}, Traffic Server ${version('traffic_server', ['-V'], /Traffic Server (\S+)/)};`,
    `1 KiB GETs at ${CONNECTIONS} connections: ${WARMUP} to warm up, then windows of ${WINDOW}, each counted apart, until the last ${SETTLED} agree within ${SETTLED_WITHIN * 100} %; then ${COUNTED} counted. Every thread of the proxy, user space only.`,
    '',
    '| target | instructions per request | windows to settle | ÷ Node floor | ÷ floor + aws4 |',
    '|---|---:|---:|---:|---:|',
    ...[...perRequest].map(([name, n]) => `| ${name} | ${Math.round(n).toLocaleString('en-US')} | ${windows.get(name)} | ${(n / floor).toFixed(2)}× | ${(n / signingFloor).toFixed(2)}× |`),
    '',
  ].join('\n');
  publishReport('instructions', 'instructions-latest.md', when, report);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1); // the exit hook stops every process started (harness.stopOnExit)
});
