// What the cache bench (bench/cache-bench.ts) starts: the origin, nginx serving the objects and
// logging every request it answers (so the bench counts what reached it), and the caches in front
// of it — nginx proxy_cache as nginx-s3-gateway configures it, Traffic Server with its cache on,
// origin-signer with `cache:` — plus the objects themselves.
import { closeSync, linkSync, openSync, readSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort, startNginx } from './harness.js';
import { CREDS } from './creds.js';
import { signingBlock, startOriginSigner, type Started } from './targets.js';
import { startTrafficServer } from './traffic-server.js';

const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
/** Every cache keeps an origin answer without a lifetime of its own (S3 sends none) this long. */
export const FRESH_FOR = '1h';

/**
 * The objects, in `bkt`: `small-<i>` (1 KiB, distinct), `mib-<i>` (1 MiB), `big` (100 MiB) and
 * `gib` (1 GiB, sparse: zeros). 1 MiB, 100 MiB and 1 GiB are random bytes (1 GiB: zeros), so a
 * body out of order shows. `link` gives an object another name (a hard link: no copy, a cold key).
 */
export function makeObjects(bkt: string, smallCount: number, mibCount: number): { link(from: string, to: string): string; file(name: string): string } {
  for (let i = 0; i < smallCount; i++) writeFileSync(join(bkt, `small-${i}`), randomBytes(KiB));
  writeFileSync(join(bkt, 'mib-0'), randomBytes(MiB));
  for (let i = 1; i < mibCount; i++) linkSync(join(bkt, 'mib-0'), join(bkt, `mib-${i}`));
  writeFileSync(join(bkt, 'big'), randomBytes(100 * MiB));
  writeFileSync(join(bkt, 'gib'), '');
  truncateSync(join(bkt, 'gib'), GiB);
  return {
    link(from, to) {
      linkSync(join(bkt, from), join(bkt, to));
      return to;
    },
    file: (name) => join(bkt, name),
  };
}

export interface OriginHit {
  method: string;
  uri: string;
  status: number;
  bytes: number;
  range: string;
}

/** The origin's access log, read from a mark: what reached the origin since then. */
export class OriginLog {
  constructor(readonly path: string) {}
  mark(): number {
    return statSync(this.path).size;
  }
  since(mark: number, uri?: string): OriginHit[] {
    const size = statSync(this.path).size;
    const buf = Buffer.alloc(size - mark);
    const fd = openSync(this.path, 'r');
    readSync(fd, buf, 0, buf.length, mark);
    closeSync(fd);
    const hits = buf
      .toString('latin1')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [method, u, status, bytes, range] = line.split(' ');
        return { method: method!, uri: u!, status: Number(status), bytes: Number(bytes), range: range ?? '-' };
      });
    return uri === undefined ? hits : hits.filter((h) => h.uri === uri);
  }
}

/** nginx serving `www` on core 1 (as in the proxy bench), one line per request to `origin-access.log`; `/bkt/_auth` echoes the Authorization it got. */
export async function startOrigin(dir: string, www: string): Promise<Started & { log: OriginLog }> {
  const port = await freePort();
  const logPath = join(dir, 'origin-access.log');
  writeFileSync(logPath, '');
  const o = await startNginx(
    dir,
    'origin',
    1,
    `log_format counted '$request_method $uri $status $body_bytes_sent $http_range';
     server { listen 127.0.0.1:${port}; root ${www}; access_log ${logPath} counted;
       location = /bkt/_auth { default_type text/plain; return 200 "$http_authorization\\n"; } }`,
  );
  return { ...o, port, log: new OriginLog(logPath) };
}

/**
 * nginx proxy_cache on core 0, without signing, as nginx-s3-gateway sets it up
 * (common/etc/nginx/templates/default.conf.template, cache.conf.template): one cache for whole
 * objects keyed by method, host and path, one for the 1 MiB slices that Range requests go to
 * (the slice module: `slice 1m`, the slice's range in the key and sent upstream), both under the
 * temporary folder with the keys in shared memory; proxy_cache_lock (concurrent misses wait for
 * the first fill; nginx's default lock timeout, 5 s), revalidation and background update, stale
 * answers on upstream errors, 200s kept for the gateway's default hour. Upstream keep-alive.
 */
export async function startNginxCache(dir: string, originPort: number): Promise<Started> {
  const port = await freePort();
  const shared = `proxy_http_version 1.1; proxy_set_header Connection "";`;
  const n = await startNginx(
    dir,
    'nginx-cache',
    0,
    `proxy_cache_path ${dir}/nginx-cache levels=1:2 keys_zone=s3_cache:10m max_size=8g inactive=60m use_temp_path=off;
     proxy_cache_path ${dir}/nginx-cache-slices levels=1:2 keys_zone=s3_cache_slices:10m max_size=8g inactive=60m use_temp_path=off;
     upstream o { server 127.0.0.1:${originPort}; keepalive 128; }
     server { listen 127.0.0.1:${port};
       proxy_cache s3_cache; proxy_cache_valid 200 302 ${FRESH_FOR}; proxy_cache_valid 404 1m; proxy_cache_valid 403 30s;
       proxy_cache_methods GET HEAD; proxy_cache_convert_head off; proxy_cache_revalidate on; proxy_cache_background_update on;
       proxy_cache_lock on; proxy_cache_use_stale error timeout http_500 http_502 http_503 http_504;
       proxy_cache_key "$request_method$host$uri";
       add_header X-Cache $upstream_cache_status;
       error_page 418 = @sliced;
       location / { if ($http_range) { return 418; } ${shared} proxy_pass http://o; }
       location @sliced {
         proxy_cache s3_cache_slices; proxy_cache_valid 200 302 206 ${FRESH_FOR}; proxy_cache_key "$request_method$host$uri$slice_range";
         slice 1m; ${shared} proxy_set_header Range $slice_range; proxy_pass http://o; } }`,
  );
  return { ...n, port };
}

/** Traffic Server with s3_auth signing and its cache on (traffic-server.ts): a RAM cache the size of origin-signer's memory store, over a small disk file. */
export async function startAtsCache(dir: string, originPort: number, ram: { maxSize: number; maxObjectSize: number }): Promise<Started> {
  const port = await freePort();
  const ats = await startTrafficServer(dir, 'ats-cache', 0, {
    port,
    originBase: `http://127.0.0.1:${originPort}`,
    prefix: '/bkt/',
    ...CREDS,
    cache: { ramBytes: ram.maxSize, ramCutoffBytes: ram.maxObjectSize, diskBytes: 2 * GiB },
  });
  return { ...ats, port };
}

/**
 * origin-signer with the shield cache: a memory store of `memory`, and two blocks signing SigV4
 * for the same bucket: `/p/` keeps whole objects (up to memory.maxObjectSize), `/s/` has `slice:
 * 1MiB` (every read there, ranged or not, is served from 1 MiB slices fetched with ranged GETs),
 * for the Range scenario — as nginx sends Range requests to its slice location.
 */
export function startCachingSigner(dir: string, name: string, logLevel: string, originPort: number, memory: { maxSize: number; maxObjectSize: number }): Promise<Started> {
  return startOriginSigner(
    dir,
    name,
    logLevel,
    `cache:
  memory: { maxSize: ${memory.maxSize}, maxObjectSize: ${memory.maxObjectSize} }
proxies:
${signingBlock('/p/', originPort, `    cache: { ttl: ${FRESH_FOR}, maxTtl: 1d }\n`)}${signingBlock('/s/', originPort, `    cache: { ttl: ${FRESH_FOR}, maxTtl: 1d, slice: 1MiB }\n`)}`,
  );
}
