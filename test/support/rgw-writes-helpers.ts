// Helpers for the write suites against Ceph RGW (test/rgw/writes-*): an RGW whose memstore OSD has
// room for gigabyte objects, proxy blocks with a payload mode, a streamed GET that never holds a
// large body in memory (bodies come from generated-body.ts, hashed on the fly), a bodiless POST.
//
// Room: scripts/rgw/start.sh gives the memstore OSD `memstore device bytes = 1 GiB`, so a 1 GiB
// object cannot fit (the OSD reports itself full at 95 %). Ceph daemons and tools read extra
// command-line options from CEPH_ARGS, which override ceph.conf, so startRgwForWrites() raises the
// limit through it without touching start.sh. RGW deletes an object's tail (everything after the
// first 4 MiB) through its garbage collector, by default two hours later: rgwCollectGarbage() runs
// `radosgw-admin gc process --include-all` so that a deleted gigabyte really leaves the OSD's RAM.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { raw, type Res } from './origin-client.js';
import { heldDownload, type Download } from './ops-download.js';
import { startRgw, type Rgw } from './rgw.js';
import { GiB } from './sizes.js';
import type { PayloadMode } from './writes-helpers.js';

export interface WritesRgw extends Rgw {
  /** The cluster's ceph.conf (for radosgw-admin / ceph CLI calls). */
  readonly conf: string;
}

function exec(cmd: string, args: string[], timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** The state dir startRgw() made for this endpoint (tmpdir/rgw-XXXXXX/env names the endpoint). */
function stateDirOf(endpoint: string): string {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith('rgw-')) continue;
    const dir = join(tmpdir(), name);
    try {
      if (readFileSync(join(dir, 'env'), 'utf8').split('\n').includes(`RGW_ENDPOINT=${endpoint}`)) return dir;
    } catch {
      // not a (finished) cluster dir
    }
  }
  throw new Error(`no state dir under ${tmpdir()} for ${endpoint}`);
}

/**
 * startRgw() with a memstore OSD of `memstoreBytes` (default 6 GiB; RAM is used only for what is
 * stored). Checks the OSD really runs with that limit.
 */
export async function startRgwForWrites(memstoreBytes = 6 * GiB): Promise<WritesRgw> {
  const saved = process.env.CEPH_ARGS;
  process.env.CEPH_ARGS = `${saved ? `${saved} ` : ''}--memstore_device_bytes=${memstoreBytes}`;
  let rgw: Rgw;
  try {
    rgw = await startRgw();
  } finally {
    if (saved === undefined) delete process.env.CEPH_ARGS;
    else process.env.CEPH_ARGS = saved;
  }
  try {
    const conf = join(stateDirOf(rgw.endpoint), 'ceph.conf');
    const out = await exec('ceph', ['-c', conf, '--connect-timeout', '30', 'tell', 'osd.0', 'config', 'get', 'memstore_device_bytes']);
    const got = Number(/"memstore_device_bytes":\s*"?(\d+)/.exec(out)?.[1]);
    if (got !== memstoreBytes) throw new Error(`the OSD runs with memstore_device_bytes ${out.trim()}, wanted ${memstoreBytes}`);
    return { ...rgw, conf };
  } catch (err) {
    await rgw.stop().catch(() => undefined);
    throw err;
  }
}

/** Frees the RAM of deleted objects now (RGW's gc would do it hours later). */
export async function rgwCollectGarbage(rgw: WritesRgw): Promise<void> {
  await exec('radosgw-admin', ['-c', rgw.conf, 'gc', 'process', '--include-all']);
}

/** A path-style SigV4 write block for an RGW bucket, with a payload mode. */
export function writesBlock(
  rgw: Rgw,
  opts: { path: string; bucket: string; payload: PayloadMode; spoolMaxSize?: string | number; extra?: Record<string, unknown> },
): Record<string, unknown> {
  return {
    path: opts.path,
    upstream: { type: 's3', bucket: opts.bucket, region: 'us-east-1', endpoint: rgw.endpoint, addressing: 'path' },
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    methods: ['GET', 'HEAD', 'PUT', 'DELETE', 'POST'],
    signing: { payload: opts.payload },
    ...(opts.spoolMaxSize !== undefined ? { spool: { maxSize: opts.spoolMaxSize } } : {}),
    ...opts.extra,
  };
}

/** GET through the proxy, hashing the body as it streams in (never held in memory). */
export function streamedGet(port: number, path: string, headers: Record<string, string> = {}): Promise<Download> {
  return heldDownload(port, path, Infinity, headers).done;
}

/** A POST with no body framing at all, as `curl -X POST` sends it. Collects the response. */
export const bodilessPost = (port: number, path: string, headers: Record<string, string> = {}): Promise<Res> => raw(port, { method: 'POST', path, headers, unframed: true });
