// A real S3 server for tests: a throw-away one-node Ceph cluster with radosgw on 127.0.0.1,
// started by scripts/rgw/start.sh and stopped by scripts/rgw/stop.sh (see those scripts for the
// Ceph settings). Each startRgw() call gets its own state dir, ports and fsid, so test files may
// run in parallel. Install Ceph with: sudo bash scripts/rgw/install.sh
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import aws4, { type Request as Aws4Request } from 'aws4';
import { repoRoot } from './paths.js';
import { onPath } from './on-path.js';
import { skipUnlessInstalled } from './skip-reason.js';

export interface Rgw {
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  /** `127.0.0.1` */
  host: string;
  port: number;
  accessKeyId: string;
  secretAccessKey: string;
  /** The zonegroup api_name (`us-east-1`): GetBucketLocation answer / valid LocationConstraint.
   *  RGW verifies SigV4 signatures with whatever region the client put in the scope. */
  region: string;
  /** radosgw's log: one `beast:` access line per request, written when RGW is done with it. */
  logFile: string;
  /** Stops the cluster and removes its state dir. Idempotent. */
  stop(): Promise<void>;
}

export const rgwScriptsDir = join(repoRoot, 'scripts', 'rgw');
const REQUIRED_BINARIES = ['radosgw', 'ceph-mon', 'ceph-osd'] as const;
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 60_000;

/** True when radosgw, ceph-mon and ceph-osd are all on PATH. */
export function rgwInstalled(): boolean {
  return REQUIRED_BINARIES.every(onPath);
}

/** For `test(name, { skip: rgwSkipReason() }, ...)`: Ceph RGW installed, else skipped (an error on CI). */
export function rgwSkipReason(): string | undefined {
  const missing = REQUIRED_BINARIES.filter((b) => !onPath(b));
  if (missing.length === 0) return undefined;
  return skipUnlessInstalled(`Ceph RGW is not installed (missing on PATH: ${missing.join(', ')}; run: sudo bash scripts/rgw/install.sh)`, 'the RGW suite');
}

function run(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeout: number,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('bash', [join(rgwScriptsDir, script), ...args], { env, timeout, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`scripts/rgw/${script} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

function parseEnvFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return out;
}

/** Starts a fresh cluster (1-3 s when warm). Always pair with `await rgw.stop()`. */
export async function startRgw(): Promise<Rgw> {
  // Short path under the OS temp dir: admin sockets live inside it (unix socket paths <= 107 bytes).
  const stateDir = await mkdtemp(join(tmpdir(), 'rgw-'));
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= run('stop.sh', [stateDir], process.env, STOP_TIMEOUT_MS).then(
      () => undefined,
      async (err: unknown) => {
        await rm(stateDir, { recursive: true, force: true });
        throw err;
      },
    );
    return stopping;
  };
  try {
    // RGW_WATCH_PID: if this process dies without calling stop(), a watchdog stops the cluster.
    await run('start.sh', [stateDir], { ...process.env, RGW_WATCH_PID: String(process.pid) }, START_TIMEOUT_MS);
    const env = parseEnvFile(await readFile(join(stateDir, 'env'), 'utf8'));
    const get = (key: string): string => {
      const value = env.get(key);
      if (!value) throw new Error(`${key} missing from ${join(stateDir, 'env')}`);
      return value;
    };
    const endpoint = get('RGW_ENDPOINT');
    const url = new URL(endpoint);
    return {
      endpoint,
      host: url.hostname,
      port: Number(url.port),
      accessKeyId: get('RGW_ACCESS_KEY'),
      secretAccessKey: get('RGW_SECRET_KEY'),
      region: get('RGW_REGION'),
      logFile: join(stateDir, 'log', 'client.rgw.log'),
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

export interface S3Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Encodes an object key for a path-style URL: each `/`-separated segment percent-encoded
 *  (`+` becomes `%2B`, space `%20`, non-ASCII as UTF-8). */
export function encodeKey(key: string): string {
  return key
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/** Sends a raw HTTP request to RGW (node:http, so the Host header goes out exactly as signed). */
export function rawRequest(
  rgw: Pick<Rgw, 'host' | 'port'>,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
): Promise<S3Response> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: rgw.host, port: rgw.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface SignedRequestOptions {
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Override the credentials (e.g. a wrong secret). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Region for the SigV4 credential scope; default rgw.region. */
  region?: string;
}

/** A SigV4-signed (header auth, `x-amz-content-sha256` = payload hash) path-style request.
 *  `path` must already be URL-encoded (see encodeKey). */
export function signedRequest(rgw: Rgw, method: string, path: string, opts: SignedRequestOptions = {}): Promise<S3Response> {
  const signable: Aws4Request = {
    host: `${rgw.host}:${rgw.port}`,
    method,
    path,
    service: 's3',
    region: opts.region ?? rgw.region,
    headers: { ...opts.headers },
    ...(opts.body !== undefined ? { body: opts.body } : {}),
  };
  aws4.sign(signable, {
    accessKeyId: opts.accessKeyId ?? rgw.accessKeyId,
    secretAccessKey: opts.secretAccessKey ?? rgw.secretAccessKey,
  });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signable.headers ?? {})) {
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : String(v);
  }
  return rawRequest(rgw, method, path, headers, opts.body);
}

/** Creates a bucket (SigV4-signed path-style `PUT /bucket`); throws unless RGW answers 2xx. */
export async function createBucket(rgw: Rgw, bucket: string): Promise<void> {
  const res = await signedRequest(rgw, 'PUT', `/${encodeURIComponent(bucket)}`);
  if (res.status < 200 || res.status >= 300) {
    throw new Error(`create bucket ${bucket}: HTTP ${res.status} ${res.body.toString('utf8')}`);
  }
}
