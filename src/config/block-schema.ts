import { z } from 'zod';
import { accessSchema } from './access-schema.js';
import { blockCacheSchema } from './cache-schema.js';
import { blockCredentials } from './credentials-schema.js';
import { boolFrom, byteSize, headerName, HTTP_METHODS, intFrom, seconds } from './schema-units.js';
import { corsSchema, hostPattern, querySchema, siteSchema } from './site-schema.js';
import { upstreamSchema } from './upstream-schema.js';

/**
 * One proxy block, an entry of `proxies:` (README `proxies[]`): its path, upstream and credentials,
 * and its own sections — signing, the upstream connections (pool, spool, retry), response headers,
 * methods — with the sections kept in their own files (access, cache, site, CORS, Host, query).
 */

function methodMessage(issue: { input?: unknown }): string {
  const list = 'GET, HEAD, PUT, POST, DELETE or OPTIONS';
  if (issue.input === 'PATCH') return `S3 has no PATCH (an object is replaced whole, with PUT): use ${list}`;
  return typeof issue.input === 'string' ? `${issue.input} is not a method S3 serves: use ${list}` : `a method: ${list}`;
}

export const signingSchema = z.strictObject({
  version: z.enum(['v4', 'v2', 'v4a']).optional(),
  /** `redirect`: a viewer GET is answered 307 to a freshly presigned URL (reads only). */
  mode: z.enum(['header', 'query', 'redirect']).default('header'),
  payload: z.enum(['unsigned', 'sha256', 'streaming']).default('unsigned'),
  expires: intFrom(z.number().int().min(1).max(604800)).default(300),
  includeHeaders: z.array(headerName).default([]),
  excludeHeaders: z.array(headerName).default([]),
});

/** Connections to the upstream origin (one undici Pool per origin and settings). */
export const poolSchema = z.strictObject({
  connections: intFrom(z.number().int().min(1).max(4096)).default(128),
  connectTimeout: seconds(0.001, 300).default(10),
  headersTimeout: seconds(0.001, 3600).default(30),
  bodyTimeout: seconds(0.001, 3600).default(30),
  keepAliveTimeout: seconds(0.1, 600).default(4),
  /** Seconds a request may wait for a free connection (all `connections` busy): then 503 with Retry-After. */
  queueTimeout: seconds(0.001, 600).default(10),
});

/**
 * Uploads whose body must be read before it can be sent: with no Content-Length (S3 needs the
 * length up front) or with `payload: sha256` (the hash is part of the signature). They go to a
 * temporary file — never to memory — up to `maxSize`.
 */
export const spoolSchema = z.strictObject({
  maxSize: byteSize.default(1024 ** 3),
  dir: z.string().min(1).optional(),
});

/** Response header rules (header names lower-cased). */
export const responseHeadersSchema = z.strictObject({
  /** Dropped from upstream responses (the default hides the store's request ids and Server). */
  remove: z.array(headerName).default(['x-amz-id-2', 'x-amz-request-id', 'server']),
  /** Set on every response, replacing the upstream's value. */
  set: z.record(headerName, z.string()).default({}),
  /** Set only when the upstream response has no such header (e.g. a default Cache-Control). */
  default: z.record(headerName, z.string()).default({}),
});

/** Retries of idempotent reads (GET/HEAD), re-signed each time; writes are never retried. */
export const retrySchema = z.strictObject({
  attempts: intFrom(z.number().int().min(0).max(10)).default(2),
  /** First delay after an upstream 503 (SlowDown), seconds; doubles, jittered, up to maxDelay. */
  baseDelay: seconds(0, 60).default(1),
  maxDelay: seconds(0, 300).default(10),
});

export const proxySchema = z.strictObject({
  path: z
    .string()
    .regex(/^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]+\/)*$/, "path must start and end with '/' and use plain URL characters (e.g. /vod/)"),
  upstream: upstreamSchema,
  credentials: blockCredentials,
  signing: signingSchema.prefault({}),
  pool: poolSchema.prefault({}),
  spool: spoolSchema.prefault({}),
  access: accessSchema.optional(),
  responseHeaders: responseHeadersSchema.prefault({}),
  /** Answer 404 instead of 403 AccessDenied: S3 says 403 for a missing key without ListBucket. */
  notFoundFor403: boolFrom().default(false),
  /** Viewers may list the block like a bucket: ListObjectsV2 and ListObjects of its root (README "Listing a block like a bucket"). */
  listObjects: boolFrom().default(false),
  retry: retrySchema.prefault({}),
  methods: z
    .array(z.preprocess((m) => (typeof m === 'string' ? m.toUpperCase() : m), z.enum(HTTP_METHODS, { error: methodMessage })))
    .min(1, 'methods must list at least one method')
    .default(['GET', 'HEAD']),
  /** The shield cache for this block's reads (README "Shield cache"); off without it. */
  cache: blockCacheSchema.optional(),
  /** Index documents, listings, SPA fallback, error pages (README "Static sites and browsers"). */
  site: siteSchema.optional(),
  cors: corsSchema.optional(),
  /** Host names this block serves (exact or *.example.com); without it, any. */
  hosts: z.array(hostPattern).min(1).optional(),
  /** Viewer query parameters forwarded and signed on reads. */
  query: querySchema.prefault({}),
});

export type RawProxy = z.infer<typeof proxySchema>;
