// The request-path property's world: the proxy's credential, its blocks over the strict origin's buckets, the seeded objects, and their start-up.
import type { TestContext } from 'node:test';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';
import { loadConfigText } from '../../../src/config/load.js';
import { createLogger } from '../../../src/log/logger.js';
import { startProxy } from '../../../src/server/serve.js';
import { MEDIASTORE_BUCKET, startStrictOrigin, type StrictOrigin } from '@origin-signer/strict-origin';

// A temporary credential: the token has `/`, `+` and `=`, so its encoded spellings differ.
export const CREDS = {
  accessKeyId: 'ASIAPROPERTY0000016',
  secretAccessKey: 'prop/erty+SECRET=key/0123456789abcdefXYZ',
  sessionToken: 'IQoJb3JpZ2luX2VjEProperty//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+tok/en==',
};

export const READ_BUCKET = 'ps-read';
const WRITE_BUCKET = 'ps-write';
export const OTHER_BUCKET = 'ps-other'; // on the origin, served by no block: nothing may ever touch it
/** An S3 Express One Zone directory bucket (in us-east-1's use1-az4): reads sign with a CreateSession session. */
export const EXPRESS_BUCKET = 'ps-xpress--use1-az4--x-s3';
const WRITES = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'];

/** signing.expires of the query-mode and redirect blocks: what the presigned parameters must say. */
export const PRESIGN_EXPIRES = 120;

/** An access point on the read bucket: its ARN, and the host the origin knows it by. */
const AP = { name: 'ps-ap', account: '123456789012', region: 'us-east-1', bucket: READ_BUCKET };
const AP_ARN = `arn:aws:s3:${AP.region}:${AP.account}:accesspoint/${AP.name}`;
/** Access point hosts → their bucket, as the origin resolves them (and the checks do). */
export const ACCESS_POINTS: ReadonlyMap<string, string> = new Map([[`${AP.name}-${AP.account}.s3-accesspoint.${AP.region}.amazonaws.com`, AP.bucket]]);

export interface Block {
  readonly path: string;
  /** An access point ARN as the upstream (its host reaches `bucket`), instead of naming the bucket. */
  readonly accessPoint?: string;
  /** The signing version (SigV4 when absent): SigV4A signs for any region (`region: "*"`), SigV2 for none. */
  readonly version?: 'v4a' | 'v2';
  readonly bucket: string;
  readonly keyPrefix: string;
  /** `redirect`: the viewer is answered 307 to a presigned URL, which the property then follows to the origin. */
  readonly mode: 'header' | 'query' | 'redirect';
  /** SigV4 and SigV4A's payload mode (SigV2 signs no payload). */
  readonly payload: 'unsigned' | 'sha256' | 'streaming';
  readonly addressing: 'virtual' | 'path';
  readonly methods: readonly string[];
  /** The block's shield cache: its reads are answered from kept copies when it can. */
  readonly cache?: { readonly keyQuery: readonly string[] };
  /** A static site (README "Static sites and browsers"): index documents, listings, fallback and error page, CORS. */
  readonly site?: true;
  /** S3 clients list the block's root like a bucket (README "Listing a block like a bucket"). */
  readonly listObjects?: true;
  /** A MediaStore container (the fixture's second origin) instead of S3: `bucket` is MEDIASTORE_BUCKET. */
  readonly mediastore?: true;
}

/** The site block's objects besides the one a path names, relative to its keyPrefix. */
export const SITE = { index: 'index.html', fallback: 'app.html', notFound: 'errors/404.html' };

// Reads and writes, SigV4 header and query mode, each payload mode, both addressing styles, a
// cached block (slices, revalidation, kept 404s, writes that invalidate), SigV4A and SigV2 in
// both modes, presigned redirects, an access point and a directory bucket. The key prefixes share a first letter so
// a key that escaped one would land in another's.
export const BLOCKS: readonly Block[] = [
  { path: '/rh/', bucket: READ_BUCKET, keyPrefix: 'r/h/', mode: 'header', payload: 'unsigned', addressing: 'virtual', methods: ['GET', 'HEAD'] },
  // Nested in /rh/, over the keys under its prefix: only this block may read them, by any spelling of the path.
  { path: '/rh/p/', bucket: READ_BUCKET, keyPrefix: 'r/h/p/', mode: 'header', payload: 'unsigned', addressing: 'virtual', methods: ['GET', 'HEAD'] },
  { path: '/rq/', bucket: READ_BUCKET, keyPrefix: 'r/q/', mode: 'query', payload: 'unsigned', addressing: 'path', methods: ['GET', 'HEAD'] },
  { path: '/wh/', bucket: WRITE_BUCKET, keyPrefix: 'w/h/', mode: 'header', payload: 'unsigned', addressing: 'path', methods: WRITES },
  { path: '/ws/', bucket: WRITE_BUCKET, keyPrefix: 'w/s/', mode: 'header', payload: 'streaming', addressing: 'virtual', methods: WRITES },
  { path: '/w2/', bucket: WRITE_BUCKET, keyPrefix: 'w/2/', mode: 'header', payload: 'sha256', addressing: 'virtual', methods: WRITES },
  { path: '/wq/', bucket: WRITE_BUCKET, keyPrefix: 'w/q/', mode: 'query', payload: 'unsigned', addressing: 'path', methods: WRITES },
  { path: '/wc/', bucket: WRITE_BUCKET, keyPrefix: 'w/c/', mode: 'query', payload: 'unsigned', addressing: 'virtual', methods: WRITES, cache: { keyQuery: ['versionId', 'response-content-disposition'] } },
  // Reads of a site: a folder is its index document or a listing (a bucket-level ListObjectsV2 of a prefix under keyPrefix).
  { path: '/rs/', bucket: READ_BUCKET, keyPrefix: 'r/s/', mode: 'header', payload: 'unsigned', addressing: 'path', methods: ['GET', 'HEAD'], site: true },
  { path: '/ra/', version: 'v4a', bucket: READ_BUCKET, keyPrefix: 'r/a/', mode: 'header', payload: 'sha256', addressing: 'virtual', methods: ['GET', 'HEAD'] },
  { path: '/wa/', version: 'v4a', bucket: WRITE_BUCKET, keyPrefix: 'w/a/', mode: 'query', payload: 'unsigned', addressing: 'path', methods: WRITES },
  // SigV4A's aws-chunked uploads: every chunk signed with ECDSA.
  { path: '/wy/', version: 'v4a', bucket: WRITE_BUCKET, keyPrefix: 'w/y/', mode: 'header', payload: 'streaming', addressing: 'virtual', methods: WRITES },
  { path: '/r2/', version: 'v2', bucket: READ_BUCKET, keyPrefix: 'r/2/', mode: 'query', payload: 'unsigned', addressing: 'virtual', methods: ['GET', 'HEAD'] },
  { path: '/rp/', accessPoint: AP_ARN, bucket: READ_BUCKET, keyPrefix: 'r/p/', mode: 'query', payload: 'unsigned', addressing: 'virtual', methods: ['GET', 'HEAD'] },
  { path: '/rx/', bucket: EXPRESS_BUCKET, keyPrefix: 'r/x/', mode: 'header', payload: 'unsigned', addressing: 'virtual', methods: ['GET', 'HEAD'] },
  { path: '/rr/', bucket: READ_BUCKET, keyPrefix: 'r/r/', mode: 'redirect', payload: 'unsigned', addressing: 'path', methods: ['GET', 'HEAD'] },
  // Listed like a bucket by S3 clients: its root (and its path without the slash) is ListObjectsV2 / ListObjects under keyPrefix.
  { path: '/rl/', bucket: READ_BUCKET, keyPrefix: 'r/l/', mode: 'header', payload: 'unsigned', addressing: 'virtual', methods: ['GET', 'HEAD'], listObjects: true },
  { path: '/wv/', version: 'v2', bucket: WRITE_BUCKET, keyPrefix: 'w/v/', mode: 'header', payload: 'unsigned', addressing: 'path', methods: WRITES },
  // MediaStore containers: a folder's GET is ListItems; no S3 operation parameter is ever forwarded (POST is refused).
  { path: '/wm/', mediastore: true, bucket: MEDIASTORE_BUCKET, keyPrefix: 'w/m/', mode: 'header', payload: 'sha256', addressing: 'virtual', methods: WRITES },
  { path: '/rm/', mediastore: true, bucket: MEDIASTORE_BUCKET, keyPrefix: 'r/m/', mode: 'query', payload: 'unsigned', addressing: 'virtual', methods: ['GET', 'HEAD', 'DELETE'] },
];

// Short lifetimes, so entries expire (and are revalidated) during the run; slices of the least size.
const CACHE_RULES = { ttl: '2s', notFoundTtl: '2s', slice: '64KiB' };
/** Under the cached block, several slices long (elsewhere it is as small as the others). */
const SLICED_KEY = 'slices.ts';

/** Keys stored under every block's prefix, so reads find objects (and Range has bytes to cut). */
export const POOL_KEYS = ['a.txt', SLICED_KEY, 'media/seg 1.ts', 'café.txt', 'plus+sign.ts', 'percent%25literal%20text.txt', 'double//slash///file.txt', 'trailing/slash/', 'unicode/vidéo/日本語 ファイル.ts', 'nbsp\u00a0space.txt'];

/** SigV4 signs for the store's region, SigV4A for any (a region set), SigV2 for none. */
const regionOf = (b: Block): { region?: string } => (b.version === 'v2' ? {} : { region: b.version === 'v4a' ? '*' : 'us-east-1' });

function proxyConfig(originPort: number, mediaPort: number): Record<string, unknown> {
  return {
    server: { host: '127.0.0.1', port: 0, admin: { host: '127.0.0.1', port: 0 } },
    // warn: no access lines on the test runner's standard output.
    log: { level: 'warn' },
    credentials: { temp: CREDS },
    proxies: BLOCKS.map((b) => ({
      path: b.path,
      upstream: b.mediastore
        ? { type: 'mediastore', endpoint: `http://localhost:${mediaPort}`, region: 'us-east-1', keyPrefix: b.keyPrefix }
        : {
            type: 's3',
            // An access point's ARN names its host (always virtual-hosted) and region.
            ...(b.accessPoint ? { accessPoint: b.accessPoint } : { bucket: b.bucket, ...regionOf(b), addressing: b.addressing }),
            endpoint: `http://localhost:${originPort}`,
            keyPrefix: b.keyPrefix,
          },
      credentials: 'temp',
      signing: {
        version: b.version ?? 'v4',
        mode: b.mode,
        ...(b.version === 'v2' ? {} : { payload: b.payload }),
        ...(b.mode === 'header' ? {} : { expires: PRESIGN_EXPIRES }),
      },
      methods: [...b.methods],
      ...(b.listObjects ? { listObjects: true } : {}),
      ...(b.cache ? { cache: { ...CACHE_RULES, key: { query: [...b.cache.keyQuery] } } } : {}),
      ...(b.site
        ? {
            site: { index: SITE.index, listing: true, appendSlash: true, spaFallback: `/${SITE.fallback}`, errorPages: { 404: `/${SITE.notFound}` } },
            cors: { origins: ['https://player.example.org'], headers: ['range'] },
          }
        : {}),
    })),
  };
}

export interface Fixture {
  readonly origin: StrictOrigin;
  /** The MediaStore container the MediaStore blocks write to. */
  readonly media: StrictOrigin;
  readonly port: number;
  readonly logLines: string[];
}

/** The strict origin (three buckets, seeded) and the proxy, in this process, closed after the test. */
export async function startFixture(t: TestContext): Promise<Fixture> {
  const origin = await startStrictOrigin({ credentials: [CREDS], buckets: [READ_BUCKET, WRITE_BUCKET, OTHER_BUCKET, EXPRESS_BUCKET] });
  t.after(() => origin.close());
  const apHost = origin.createAccessPoint(AP);
  if (!ACCESS_POINTS.has(apHost)) throw new Error(`the origin names the access point ${apHost}`);
  const media = await startStrictOrigin({ credentials: [CREDS], service: 'mediastore' });
  t.after(() => media.close());
  // A MediaStore path ending in `/` is a folder, never an object.
  const storeOf = (b: Block): StrictOrigin => (b.mediastore ? media : origin);
  for (const b of BLOCKS) for (const k of POOL_KEYS) if (!(b.mediastore && k.endsWith('/'))) await storeOf(b).putObject(b.bucket, b.keyPrefix + k, `object ${b.keyPrefix}${k}\n`.repeat(b.cache && k === SLICED_KEY ? 7000 : 3));
  for (const b of BLOCKS.filter((x) => x.site)) for (const k of [SITE.fallback, SITE.notFound, `media/${SITE.index}`]) await origin.putObject(b.bucket, b.keyPrefix + k, `object ${b.keyPrefix}${k}\n`);
  for (const k of POOL_KEYS) {
    await origin.putObject(OTHER_BUCKET, k, 'another bucket\n');
    await origin.putObject(READ_BUCKET, k, 'outside every keyPrefix\n');
    await origin.putObject(EXPRESS_BUCKET, k, 'outside every keyPrefix\n');
    if (!k.endsWith('/')) await media.putObject(MEDIASTORE_BUCKET, k, 'outside every keyPrefix\n');
  }
  // Whatever the proxy logs, access lines included, is kept here (and checked for secrets at the end), not printed.
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const loaded = loadConfigText(stringify(proxyConfig(origin.port, media.port)), '(request-path property test)');
  const proxy = await startProxy(loaded, { logger: createLogger('warn', sink), accessLog: sink, reloadable: false });
  t.after(() => proxy.close());
  return { origin, media, port: proxy.port, logLines };
}
