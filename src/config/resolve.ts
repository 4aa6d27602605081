import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import type { KeyObject } from 'node:crypto';
import { loadPublicKey } from './public-key.js';
import { inlineName, toSpec } from './credential-spec.js';
import { accessPointOf, addressingOf, directoryZoneOf, endpointUrl, regionOf, regionSetOf, signingVersion } from './derive.js';
import { sessionModeFor } from './directory-bucket.js';
import type { RawAccess } from './access-schema.js';
import type { RawProxy } from './block-schema.js';
import type { RawConfig } from './schema.js';
import { cacheStoresSchema, type RawBlockCache } from './cache-schema.js';
import type { RawSite } from './site-schema.js';
import type { BlockAccess, BlockCache, BlockSigning, BlockSite, CacheStores, StoreHeaders, CredentialSpec, ResolvedBlock, ResolvedConfig } from './types.js';

/** Seconds in the config, milliseconds at run time. */
const ms = (seconds: number): number => Math.round(seconds * 1000);

/** Access rules with the signed-URL public keys loaded (the checks have already tried each). */
function resolveAccess(raw: RawAccess | undefined): BlockAccess | undefined {
  if (!raw) return undefined;
  let signedUrls: BlockAccess['signedUrls'];
  if (raw.signedUrls) {
    const keys = new Map<string, KeyObject>(Object.entries(raw.signedUrls.keys).map(([id, value]) => [id, loadPublicKey(value)]));
    signedUrls = { keys, cookies: raw.signedUrls.cookies, ...(raw.signedUrls.baseUrl ? { baseUrl: new URL(raw.signedUrls.baseUrl).origin } : {}) };
  }
  return {
    ...(raw.requireHeader ? { requireHeader: raw.requireHeader } : {}),
    ...(raw.allowIps ? { allowIps: raw.allowIps } : {}),
    ...(signedUrls ? { signedUrls } : {}),
  };
}

function resolveBlock(p: RawProxy, i: number, named: Record<string, CredentialSpec>, defaultAccess: BlockAccess | undefined): ResolvedBlock {
  const up = p.upstream;
  const endpoint = endpointUrl(up);
  const addressing = addressingOf(up);
  const endpointHost = endpoint.host; // includes a non-default port
  const ap = accessPointOf(up);
  const express = directoryZoneOf(up) !== undefined;
  const host = ap ? ap.host : up.type === 's3' && addressing === 'virtual' ? `${up.bucket}.${endpointHost}` : endpointHost;
  const version = signingVersion(up, p.signing);
  const signing: BlockSigning = {
    version,
    mode: p.signing.mode,
    payload: p.signing.payload,
    expires: p.signing.expires,
    includeHeaders: p.signing.includeHeaders,
    excludeHeaders: p.signing.excludeHeaders,
    service: up.type === 'mediastore' ? 'mediastore' : express ? 's3express' : 's3',
    uriRule: up.type === 'mediastore' ? 'generic' : 's3',
    regionSet: version === 'v4a' ? regionSetOf(up) : undefined,
  };
  return {
    index: i,
    path: p.path,
    type: up.type,
    bucket: up.type === 's3' ? up.bucket : undefined,
    accessPoint: up.type === 's3' ? up.accessPoint : undefined,
    region: regionOf(up),
    endpoint: endpoint.origin,
    addressing,
    keyPrefix: up.keyPrefix,
    // An access point with an endpoint given (a private link, a test store) is dialled there and signed for its own host.
    origin: ap ? endpoint.origin : `${endpoint.protocol}//${host}`,
    host,
    urlOrigin: ap ? `https://${host}` : `${endpoint.protocol}//${host}`,
    basePath: up.type === 's3' && addressing === 'path' ? `/${up.bucket}/` : '/',
    v2Bucket: up.type === 's3' && addressing === 'virtual' && !ap ? up.bucket : undefined,
    credentials: typeof p.credentials === 'string' ? named[p.credentials]! : toSpec(inlineName(i), p.credentials),
    signing,
    pool: {
      connections: p.pool.connections,
      connectTimeoutMs: ms(p.pool.connectTimeout),
      headersTimeoutMs: ms(p.pool.headersTimeout),
      bodyTimeoutMs: ms(p.pool.bodyTimeout),
      keepAliveTimeoutMs: ms(p.pool.keepAliveTimeout),
      queueTimeoutMs: ms(p.pool.queueTimeout),
    },
    spool: { maxBytes: p.spool.maxSize, dir: p.spool.dir ?? tmpdir() },
    responseHeaders: { remove: new Set(p.responseHeaders.remove), set: p.responseHeaders.set, default: p.responseHeaders.default },
    notFoundFor403: p.notFoundFor403,
    listObjects: p.listObjects,
    access: p.access ? resolveAccess(p.access) : defaultAccess,
    retry: { attempts: p.retry.attempts, baseDelayMs: p.retry.baseDelay * 1000, maxDelayMs: p.retry.maxDelay * 1000 },
    methods: [...new Set(p.methods)],
    cache: p.cache ? resolveBlockCache(p.cache) : undefined,
    site: p.site ? resolveSite(p.site) : undefined,
    cors: p.cors ? { ...p.cors, origins: p.cors.origins.map((o) => o.toLowerCase()), maxAge: Math.round(p.cors.maxAge) } : undefined,
    hosts: p.hosts,
    readQuery: new Set([...p.query.allow, ...(p.cache?.key.query ?? [])]),
    storeHeaders: up.type === 's3' ? storeHeadersOf(up) : undefined,
    s3Express: express ? { sessionMode: sessionModeFor(p.methods) } : undefined,
  };
}

/** SSE-C's three headers (the key's MD5 computed once), SSE-KMS's two, requester pays (S3 API, "Specifying server-side encryption"). */
function storeHeadersOf(up: Extract<RawProxy['upstream'], { type: 's3' }>): StoreHeaders | undefined {
  const all: Record<string, string> = up.requestPayer ? { 'x-amz-request-payer': 'requester' } : {};
  const objects: Record<string, string> = {};
  const creates: Record<string, string> = {};
  if (up.sse && 'customerKey' in up.sse) {
    const key = Buffer.from(up.sse.customerKey, 'base64');
    objects['x-amz-server-side-encryption-customer-algorithm'] = 'AES256';
    objects['x-amz-server-side-encryption-customer-key'] = key.toString('base64');
    objects['x-amz-server-side-encryption-customer-key-md5'] = createHash('md5').update(key).digest('base64');
  } else if (up.sse && 'kms' in up.sse) {
    creates['x-amz-server-side-encryption'] = 'aws:kms';
    creates['x-amz-server-side-encryption-aws-kms-key-id'] = up.sse.kms;
  }
  const any = Object.keys(all).length + Object.keys(objects).length + Object.keys(creates).length > 0;
  return any ? { all, objects, creates } : undefined;
}

function resolveSite(s: RawSite): BlockSite {
  const key = (path: string | undefined): string | undefined => path?.slice(1);
  const errorPages: Partial<Record<'403' | '404', string>> = {};
  for (const [status, path] of Object.entries(s.errorPages) as Array<['403' | '404', string]>) errorPages[status] = path.slice(1);
  return { index: s.index, listing: s.listing, appendSlash: s.appendSlash, spaFallback: key(s.spaFallback), errorPages };
}

function resolveBlockCache(c: RawBlockCache): BlockCache {
  return {
    ttlMs: ms(c.ttl),
    maxTtlMs: ms(c.maxTtl),
    notFoundTtlMs: ms(c.notFoundTtl),
    staleWhileRevalidateMs: ms(c.staleWhileRevalidate),
    staleIfErrorMs: ms(c.staleIfError),
    sliceBytes: c.slice,
    keyQuery: [...new Set(c.key.query)].sort(),
  };
}

/** The stores as configured, or the default memory store when only blocks say `cache:`. */
function resolveStores(raw: RawConfig): CacheStores | undefined {
  if (!raw.cache && !raw.proxies.some((p) => p.cache)) return undefined;
  const c = raw.cache ?? cacheStoresSchema.parse({});
  const sh = c.shared;
  return {
    memory: { maxBytes: c.memory.maxSize, maxObjectBytes: c.memory.maxObjectSize },
    disk: c.disk ? { path: c.disk.path, maxBytes: c.disk.maxSize } : undefined,
    ...(sh ? { shared: { url: sh.url, maxObjectBytes: sh.maxObjectSize, ttlCapMs: ms(sh.ttlCap), timeoutMs: ms(sh.timeout), lockMs: ms(sh.lock), caFile: sh.caFile } } : {}),
  };
}

/**
 * Defaults that depend on other fields, then one immutable config. Only called once the schema
 * and every cross-field check (cross-check.ts) have passed, so nothing here can be wrong.
 */
export function resolveConfig(raw: RawConfig): ResolvedConfig {
  const named: Record<string, CredentialSpec> = Object.fromEntries(Object.entries(raw.credentials).map(([name, c]) => [name, toSpec(name, c)]));
  const defaultAccess = resolveAccess(raw.access);
  const config: ResolvedConfig = {
    server: raw.server,
    log: raw.log,
    readiness: raw.readiness,
    credentials: named,
    cache: resolveStores(raw),
    proxies: raw.proxies.map((p, i) => resolveBlock(p, i, named, defaultAccess)),
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  // Plain data only: Buffers, Sets, Maps and KeyObjects keep their own behaviour.
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value) && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
