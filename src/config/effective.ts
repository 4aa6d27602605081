import type { BlockAccess, CacheStores, CredentialSpec, ResolvedConfig, StoreHeaders } from './types.js';

const MASK = '********';

function maskedCredentials(spec: CredentialSpec): Record<string, unknown> {
  if (spec.kind === 'source') return { ...spec.source };
  const c = spec.credentials;
  return {
    accessKeyId: c.accessKeyId,
    ...(c.secretAccessKey !== undefined ? { secretAccessKey: MASK } : {}),
    ...(c.signingKey !== undefined ? { signingKey: MASK, keyScope: c.keyScope } : {}),
    ...(c.sessionToken !== undefined ? { sessionToken: MASK } : {}),
  };
}

/** Access rules with the secret header values masked and keys shown by type. */
function maskedAccess(a: BlockAccess): Record<string, unknown> {
  return {
    ...(a.requireHeader ? { requireHeader: { name: a.requireHeader.name, values: a.requireHeader.values.map(() => MASK) } } : {}),
    ...(a.allowIps ? { allowIps: [...a.allowIps] } : {}),
    ...(a.signedUrls
      ? {
          signedUrls: {
            keys: Object.fromEntries([...a.signedUrls.keys].map(([id, k]) => [id, `${k.asymmetricKeyType} public key`])),
            cookies: a.signedUrls.cookies,
            ...(a.signedUrls.baseUrl ? { baseUrl: a.signedUrls.baseUrl } : {}),
          },
        }
      : {}),
  };
}

/** SSE and requester pays as configured, the customer key masked. */
function storeHeadersShown(h: StoreHeaders | undefined): Record<string, unknown> {
  if (!h) return {};
  const sse = h.objects['x-amz-server-side-encryption-customer-key'] ? { sse: { customerKey: MASK } } : h.creates['x-amz-server-side-encryption-aws-kms-key-id'] ? { sse: { kms: h.creates['x-amz-server-side-encryption-aws-kms-key-id'] } } : {};
  return { ...sse, ...(h.all['x-amz-request-payer'] ? { requestPayer: true } : {}) };
}

/** A Redis URL with its password (if any) masked; the user name stays. */
export function maskedRedisUrl(url: string): string {
  const u = new URL(url);
  if (u.password !== '') u.password = MASK;
  return u.toString();
}

function cacheStores(c: CacheStores): Record<string, unknown> {
  const sh = c.shared;
  return {
    memory: { maxSize: c.memory.maxBytes, maxObjectSize: c.memory.maxObjectBytes },
    ...(c.disk ? { disk: { path: c.disk.path, maxSize: c.disk.maxBytes } } : {}),
    ...(sh
      ? { shared: { url: maskedRedisUrl(sh.url), maxObjectSize: sh.maxObjectBytes, ttlCap: sh.ttlCapMs / 1000, timeout: sh.timeoutMs / 1000, lock: sh.lockMs / 1000, ...(sh.caFile !== undefined ? { caFile: sh.caFile } : {}) } }
      : {}),
  };
}

/**
 * The configuration as the proxy will run it — every default filled in and every derived value
 * (endpoint, addressing, Host, signing version) shown — with secrets replaced by a mask. This is
 * what `origin-signer check` prints.
 */
export function effectiveConfig(config: ResolvedConfig): Record<string, unknown> {
  return {
    server: config.server,
    log: config.log,
    readiness: config.readiness,
    ...(config.cache ? { cache: cacheStores(config.cache) } : {}),
    credentials: Object.fromEntries(Object.entries(config.credentials).map(([name, spec]) => [name, maskedCredentials(spec)])),
    proxies: config.proxies.map((b) => ({
      path: b.path,
      upstream: {
        type: b.type,
        ...(b.accessPoint !== undefined ? { accessPoint: b.accessPoint } : b.bucket !== undefined ? { bucket: b.bucket } : {}),
        ...(b.region !== undefined ? { region: b.region } : {}),
        endpoint: b.endpoint,
        ...(b.type === 's3' ? { addressing: b.addressing } : {}),
        keyPrefix: b.keyPrefix,
        host: b.host,
        ...storeHeadersShown(b.storeHeaders),
      },
      credentials: b.credentials.name.endsWith('(inline)') ? maskedCredentials(b.credentials) : b.credentials.name,
      signing: {
        version: b.signing.version,
        ...(b.signing.regionSet !== undefined ? { regionSet: b.signing.regionSet } : {}),
        mode: b.signing.mode,
        payload: b.signing.payload,
        expires: b.signing.expires,
        service: b.signing.service,
        includeHeaders: [...b.signing.includeHeaders],
        excludeHeaders: [...b.signing.excludeHeaders],
      },
      pool: {
        connections: b.pool.connections,
        connectTimeout: b.pool.connectTimeoutMs / 1000,
        headersTimeout: b.pool.headersTimeoutMs / 1000,
        bodyTimeout: b.pool.bodyTimeoutMs / 1000,
        keepAliveTimeout: b.pool.keepAliveTimeoutMs / 1000,
      },
      spool: { maxSize: b.spool.maxBytes, dir: b.spool.dir },
      responseHeaders: { remove: [...b.responseHeaders.remove], set: { ...b.responseHeaders.set }, default: { ...b.responseHeaders.default } },
      notFoundFor403: b.notFoundFor403,
      listObjects: b.listObjects,
      ...(b.access ? { access: maskedAccess(b.access) } : {}),
      retry: { attempts: b.retry.attempts, baseDelay: b.retry.baseDelayMs / 1000, maxDelay: b.retry.maxDelayMs / 1000 },
      methods: [...b.methods],
      ...(b.hosts ? { hosts: [...b.hosts] } : {}),
      ...(b.readQuery.size > 0 ? { query: { allow: [...b.readQuery] } } : {}),
      ...(b.site
        ? {
            site: {
              ...(b.site.index !== undefined ? { index: b.site.index } : {}),
              listing: b.site.listing,
              appendSlash: b.site.appendSlash,
              ...(b.site.spaFallback !== undefined ? { spaFallback: `/${b.site.spaFallback}` } : {}),
              errorPages: Object.fromEntries(Object.entries(b.site.errorPages).map(([s, k]) => [s, `/${k}`])),
            },
          }
        : {}),
      ...(b.cors ? { cors: { ...b.cors, origins: [...b.cors.origins], methods: [...b.cors.methods], headers: [...b.cors.headers], exposeHeaders: [...b.cors.exposeHeaders] } } : {}),
      ...(b.cache
        ? {
            cache: {
              ttl: b.cache.ttlMs / 1000,
              maxTtl: b.cache.maxTtlMs / 1000,
              notFoundTtl: b.cache.notFoundTtlMs / 1000,
              staleWhileRevalidate: b.cache.staleWhileRevalidateMs / 1000,
              staleIfError: b.cache.staleIfErrorMs / 1000,
              ...(b.cache.sliceBytes !== undefined ? { slice: b.cache.sliceBytes } : {}),
              key: { query: [...b.cache.keyQuery] },
            },
          }
        : {}),
    })),
  };
}
