import type { Dispatcher } from 'undici';
import type { Shield } from '../cache/shield.js';
import { writeInvalidation, type WriteInvalidation } from '../cache/write-invalidation.js';
import { finalResponsesInterceptor } from '../interceptors/final-responses.js';
import type { RedirectDeps } from './redirect.js';
import type { ResolvedBlock, ResolvedConfig } from '../config/types.js';
import type { CredentialProvider } from '../credentials/provider.js';
import { signInterceptor } from '../interceptors/sign.js';
import { retryInterceptor } from '../interceptors/retry.js';
import { storeHeadersInterceptor } from '../interceptors/store-headers.js';
import { admissionInterceptor } from '../interceptors/admission.js';
import { SigningKeyCache } from '../signing/v4/signing-key.js';
import { V4aKeyCache } from '../signing/v4a/key-cache.js';
import type { PoolRegistry } from '../upstream/pools.js';
import { createRouter, type Router } from './router.js';
import { s3ExpressSessions } from './create-session.js';
import { compileAccessCheck, type AccessCheck } from '../access/access-check.js';

/**
 * Everything one loaded config needs to serve requests, built once: the router and, per block, the
 * block's pool composed with its signer. A config reload builds a new runtime and swaps it in; a
 * request keeps the runtime it started with.
 */
export interface ProxyRuntime {
  readonly config: ResolvedConfig;
  route: Router;
  dispatcher(block: ResolvedBlock): Dispatcher;
  /** The block's viewer checks, or undefined when it has none. */
  access(block: ResolvedBlock): AccessCheck | undefined;
  /** The shield cache, when the config has one (blocks with `cache:` use it). */
  readonly shield: Shield | undefined;
  /** What a presigned redirect needs (`signing.mode: redirect`): the block's credentials, the clock, the key cache. */
  redirect(block: ResolvedBlock): RedirectDeps;
  /** The cache keys (object bases) a write through a block to an upstream path makes stale, in any cached block. */
  readonly writtenBases: WriteInvalidation;
}

export interface RuntimeDeps {
  readonly pools: PoolRegistry;
  readonly providers: ReadonlyMap<string, CredentialProvider>;
  readonly clock: () => number;
  readonly keyCache?: SigningKeyCache;
  readonly random?: () => number;
  readonly onRetry?: (block: string, reason: string) => void;
  /** A request that found every upstream connection busy: +1 when it starts waiting, -1 when it stops, and how long it waited. */
  readonly onQueued?: (block: string, delta: 1 | -1) => void;
  readonly onQueueWait?: (block: string, seconds: number) => void;
  readonly shield?: Shield;
}

export function createRuntime(config: ResolvedConfig, deps: RuntimeDeps): ProxyRuntime {
  const keyCache = deps.keyCache ?? new SigningKeyCache();
  const v4aKeyCache = new V4aKeyCache();
  const dispatchers = new Map<ResolvedBlock, Dispatcher>();
  const checks = new Map<ResolvedBlock, AccessCheck | undefined>();
  /** A directory bucket's blocks sign with its session's credentials: one session per bucket, set and mode. */
  const sessions = new Map<string, CredentialProvider>();
  const signingCredentials = new Map<ResolvedBlock, CredentialProvider>();
  for (const block of config.proxies) {
    const base = deps.providers.get(block.credentials.name);
    if (!base) throw new Error(`no credential provider for ${block.credentials.name}`);
    const pool = deps.pools.get(block.origin, block.pool);
    let credentials = base;
    if (block.s3Express) {
      const key = [block.credentials.name, block.origin, block.host, block.basePath, block.s3Express.sessionMode].join('\0');
      credentials = sessions.get(key) ?? s3ExpressSessions(block, { pool, base, clock: deps.clock, keyCache });
      sessions.set(key, credentials);
    }
    signingCredentials.set(block, credentials);
    checks.set(block, compileAccessCheck(block.access, config.server.trustProxy, deps.clock));
    const admission = deps.pools.admission(block.origin, block.pool);
    // The first interceptor is the innermost: retry wraps the signer, so each attempt is re-signed
    // and has its own timeouts; a request is signed once it has a connection, not before it waits.
    dispatchers.set(
      block,
      pool.compose(
        finalResponsesInterceptor(),
        signInterceptor({ signing: block.signing, region: block.region, v2Bucket: block.v2Bucket, credentials, clock: deps.clock, keyCache, v4aKeyCache }),
        ...(block.storeHeaders ? [storeHeadersInterceptor(block.storeHeaders, block.basePath)] : []),
        admissionInterceptor({
          admission,
          queueTimeoutMs: block.pool.queueTimeoutMs,
          ...(deps.onQueued ? { onQueued: (d: 1 | -1) => deps.onQueued!(block.path, d) } : {}),
          ...(deps.onQueueWait ? { onWait: (s: number) => deps.onQueueWait!(block.path, s) } : {}),
        }),
        retryInterceptor({ ...block.retry, random: deps.random ?? Math.random, ...(deps.onRetry ? { onRetry: (reason: string) => deps.onRetry!(block.path, reason) } : {}) }),
      ),
    );
  }
  const route = createRouter(config.proxies);
  return {
    config,
    route,
    dispatcher: (block) => dispatchers.get(block)!,
    access: (block) => checks.get(block),
    shield: deps.shield,
    redirect: (block) => ({ credentials: signingCredentials.get(block)!, clock: deps.clock, keyCache, v4aKeyCache }),
    writtenBases: writeInvalidation(config.proxies),
  };
}
