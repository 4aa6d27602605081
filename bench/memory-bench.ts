// The memory benchmark (bench/README.md): what origin-signer's resident memory does while large
// objects stream through it. For each object size, a fresh proxy process (bin/origin-signer, as
// users run it) per scenario — an upload in each payload mode, then a download — in front of the
// strict S3-compatible origin on loopback; reported are the proxy's idle RSS, its peak (VmHWM) and
// the growth between them, next to the budget the test suite used to assert. "Memory does not grow
// with object size" reads as: the peaks for 100 MiB and 1 GiB are about the same.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { peakRssMiB, ROOT, rssMiB } from './harness.js';

const MiB = 1024 * 1024;
const SIZES_MIB = (process.env.BENCH_MEMORY_MIB ?? '100,1024').split(',').map((s) => Number(s.trim()));
/** What the test suite asserted until the budgets moved here: peak RSS under 150 MiB for 100 MiB and 1 GiB objects. */
const BUDGET_MIB = 150;
const BUCKET = 'bench-memory';
const KEYS = { accessKeyId: 'AKIDBENCHMEMORY00001', secretAccessKey: 'bench-memory-secret-not-real' };
const MODES = ['unsigned', 'sha256', 'streaming'] as const;

interface Proxy {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** `bin/origin-signer serve` with one block; resolves once it logs "listening". */
async function startProxy(dir: string, originPort: number, payload: (typeof MODES)[number]): Promise<Proxy> {
  const config = join(dir, `proxy-${payload}.yaml`);
  writeFileSync(
    config,
    `server: { host: 127.0.0.1, port: 0, admin: { host: 127.0.0.1, port: 0 } }
log: { level: info }
proxies:
  - path: /b/
    upstream: { bucket: ${BUCKET}, region: us-east-1, endpoint: "http://127.0.0.1:${originPort}", addressing: path }
    credentials: { accessKeyId: ${KEYS.accessKeyId}, secretAccessKey: ${KEYS.secretAccessKey} }
    signing: { payload: ${payload} }
    spool: { maxSize: 4GiB, dir: "${dir}" }
    methods: [GET, HEAD, PUT, DELETE]
`,
  );
  const child: ChildProcess = spawn(join(ROOT, 'bin', 'origin-signer'), ['serve', '--config', config], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (l.includes('"msg":"listening"')) resolve(Number(new URL((JSON.parse(l) as { url: string }).url).port));
    });
    void exited.then(() => reject(new Error('origin-signer exited before listening')));
  });
  return {
    port,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** `size` bytes as 1 MiB pieces of one random block, produced as the socket drains. */
function body(size: number): Readable {
  const block = randomBytes(MiB);
  let left = size;
  return new Readable({
    read() {
      const n = Math.min(MiB, left);
      left -= n;
      this.push(n > 0 ? block.subarray(0, n) : null);
    },
  });
}

function put(port: number, path: string, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'PUT', path, agent: false, headers: { 'content-length': size, 'content-type': 'application/octet-stream' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    body(size).pipe(req);
  });
}

function del(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'DELETE', path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

function get(port: number, path: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Row {
  scenario: string;
  sizeMiB: number;
  idle: number;
  peak: number;
  mbPerS: number;
}

/** Runs `run` through a fresh proxy and reads its memory; `after` (not measured) runs on the same proxy. */
async function measure(
  dir: string,
  originPort: number,
  payload: (typeof MODES)[number],
  scenario: string,
  sizeMiB: number,
  run: (port: number) => Promise<void>,
  after: (port: number) => Promise<unknown> = async () => undefined,
): Promise<Row> {
  const proxy = await startProxy(dir, originPort, payload);
  try {
    const idle = rssMiB(proxy.pid);
    const t0 = process.hrtime.bigint();
    await run(proxy.port);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const row = { scenario, sizeMiB, idle, peak: peakRssMiB(proxy.pid), mbPerS: (sizeMiB * MiB) / 1e6 / seconds };
    process.stderr.write(`${scenario.padEnd(24)} ${String(sizeMiB).padStart(5)} MiB  idle ${idle.toFixed(0)} MiB  peak ${row.peak.toFixed(0)} MiB  ${row.mbPerS.toFixed(0)} MB/s\n`);
    await after(proxy.port);
    return row;
  } finally {
    await proxy.stop();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'os-membench-'));
  const dataDir = join(dir, 'origin');
  mkdirSync(dataDir);
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET], dataDir });
  const rows: Row[] = [];
  try {
    for (const sizeMiB of SIZES_MIB) {
      const size = sizeMiB * MiB;
      const key = (mode: string): string => `/b/up-${mode}-${sizeMiB}.bin`;
      for (const mode of MODES) {
        const upload = async (port: number): Promise<void> => {
          const status = await put(port, key(mode), size);
          if (status !== 200) throw new Error(`PUT ${key(mode)}: ${status}`);
        };
        // The unsigned upload is kept for the download below; the others only take disk space.
        rows.push(await measure(dir, origin.port, mode, `upload, payload: ${mode}`, sizeMiB, upload, (port) => (mode === 'unsigned' ? Promise.resolve() : del(port, key(mode)))));
      }
      const download = async (port: number): Promise<void> => {
        const r = await get(port, key('unsigned'));
        if (r.status !== 200 || r.bytes !== size) throw new Error(`GET ${key('unsigned')}: ${r.status}, ${r.bytes} bytes`);
      };
      rows.push(await measure(dir, origin.port, 'unsigned', 'download', sizeMiB, download, (port) => del(port, key('unsigned'))));
    }
  } finally {
    await origin.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const lines = [
    `| scenario | object | idle RSS MiB | peak RSS MiB (VmHWM) | growth MiB | MB/s | peak within ${BUDGET_MIB} MiB |`,
    '|---|---:|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.scenario} | ${r.sizeMiB} MiB | ${r.idle.toFixed(0)} | ${r.peak.toFixed(0)} | ${(r.peak - r.idle).toFixed(0)} | ${r.mbPerS.toFixed(0)} | ${r.peak < BUDGET_MIB ? 'yes' : 'no'} |`),
  ];
  const when = new Date().toISOString();
  const report = [
    `# origin-signer memory benchmark — ${when}`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; nothing pinned. One fresh proxy process per`,
    'row (bin/origin-signer, SigV4 header mode) in front of the strict origin on loopback; uploads with Content-Length.',
    'MB/s is context, not a throughput figure: the strict origin verifies every signature in the benchmark process.',
    '',
    ...lines,
    '',
  ].join('\n');
  const out = join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'memory-latest.md'), report);
  process.stdout.write(report);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
