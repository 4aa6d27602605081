import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import { loadConfigFile } from '../config/load.js';
import { ConfigError, formatProblem } from '../config/problems.js';
import type { LoadedConfig, ResolvedConfig } from '../config/types.js';
import type { CredentialProvider } from '../credentials/provider.js';
import { CredentialRegistry } from '../credentials/providers.js';
import { OriginSignerError } from '../errors.js';
import { AccessLog } from '../log/access-line.js';
import { accessLogDestination, lineStream, type Destination, type Logger } from '../log/logger.js';
import { createRuntime } from '../proxy/runtime.js';
import { PoolRegistry, poolKey } from '../upstream/pools.js';
import { buildApp, type RuntimeHolder } from './app.js';
import { startAdmin } from './admin.js';
import { configFileHash } from '../observability/config-hash.js';
import { Metrics } from '../observability/metrics.js';
import { readiness, type ReadyReport } from './readiness.js';
import { buildStatus } from '../observability/status.js';
import { statusContextOf } from '../observability/status-context.js';
import { RateWindow } from '../observability/status-rates.js';
import type { Shield } from '../cache/shield.js';
import { openShield, retainBlocks } from './shield-lifecycle.js';
import { reloadTrigger, type ReloadResult } from './reload-trigger.js';
import { combineStats, purge, stats, type AdminAnswer } from './cache-admin.js';

export type { ReloadResult } from './reload-trigger.js';

export interface RunningProxy {
  readonly url: string;
  readonly port: number;
  /** The admin listener's URL, or undefined when this process has none (a cluster worker). */
  readonly adminUrl: string | undefined;
  readonly metrics: Metrics;
  ready(): Promise<ReadyReport>;
  /** Re-reads the config file; an invalid file leaves the running config in place. */
  reload(): Promise<ReloadResult>;
  credentials(): CredentialProvider[];
  config(): ResolvedConfig;
  /** The shield cache's admin API in this process (POST /cache/purge, GET /cache/stats). */
  cachePurge(body: unknown): Promise<AdminAnswer>;
  cacheStats(): AdminAnswer;
  /** Another worker's invalidation (cluster.ts): dropped from this process's stores. */
  invalidateHere(base: string): void;
  close(): Promise<void>;
}

export interface ServeOptions {
  readonly logger: Logger;
  readonly clock?: () => number;
  readonly env?: NodeJS.ProcessEnv;
  /** Overrides server.host / server.port (the demo uses this). */
  readonly host?: string;
  readonly port?: number;
  /** False for a config that did not come from a file (the demo): reload() is then a no-op. */
  readonly reloadable?: boolean;
  /** False in a cluster worker: the primary serves the admin endpoints for all workers. */
  readonly admin?: boolean;
  /** Where access lines go instead of standard output: a caller in the same process that reads them (a test's secret check). */
  readonly accessLog?: DestinationStream;
  /** A cluster worker: tells the other workers of an invalidation made here (cluster.ts tellSiblings). */
  readonly onInvalidate?: (base: string) => void;
}

/** Starts the proxy for a loaded config and returns once it listens. */
export async function startProxy(loaded: LoadedConfig, opts: ServeOptions): Promise<RunningProxy> {
  const log = opts.logger;
  const clock = opts.clock ?? Date.now;
  const env = opts.env ?? process.env;
  for (const w of loaded.warnings) log.warn({ config: loaded.file }, w);
  const pools = new PoolRegistry();
  let providers = new Map<string, CredentialProvider>();
  const registry = new CredentialRegistry({
    log,
    clock,
    env,
    onRefresh: (set, ok) => {
      (ok ? metrics.credentialRefreshes : metrics.credentialRefreshFailures).inc({ set });
      if (ok) metrics.credentialLastRefresh.set({ set }, clock() / 1000);
    },
  });
  let shield: Shield | undefined;
  const metrics = new Metrics({ credentials: () => registry.all(), pools: () => pools.entries(), cache: () => shield?.stats() });
  const shieldDeps = {
    clock,
    log,
    onEvict: (store: 'memory' | 'disk', n = 1) => metrics.cache.evictions.inc({ store }, n),
    onSharedError: (op: string) => metrics.cache.sharedErrors.inc({ op }),
    onSharedRead: (hit: boolean) => metrics.cache.sharedReads.inc({ result: hit ? 'hit' : 'miss' }),
  };
  shield = withSiblings(await openShield(loaded.config.cache, undefined, shieldDeps), opts.onInvalidate);
  metrics.configApplied(configFileHash(loaded.file), clock());
  const first = registry.prepare(loaded.config);
  providers = first.providers;
  await Promise.all(first.fresh.map((p) => p.start()));
  const onRetry = (block: string, reason: string): void => metrics.retries.inc({ block, reason });
  const onQueued = (block: string, delta: 1 | -1): void => (delta === 1 ? metrics.upstreamQueued.inc({ block }) : metrics.upstreamQueued.dec({ block }));
  const onQueueWait = (block: string, seconds: number): void => metrics.upstreamQueueWait.observe({ block }, seconds);
  const holder: RuntimeHolder = { current: createRuntime(loaded.config, { pools, providers, clock, onRetry, onQueued, onQueueWait, ...(shield ? { shield } : {}) }) };
  // pino writes out what it still holds on exits that skip close(): the shutdown timeout, a fatal error.
  // A cluster worker shares the primary's standard output with its siblings.
  let accessOut: Destination | undefined;
  let accessLine: DestinationStream;
  if (opts.accessLog) accessLine = opts.accessLog;
  else {
    accessOut = accessLogDestination(1, cluster.isWorker);
    accessLine = lineStream(accessOut);
  }
  const accessLog = new AccessLog(loaded.config.log.level, accessLine, { trustProxy: loaded.config.server.trustProxy, requestHeaders: loaded.config.log.requestHeaders });
  const app = buildApp(holder, { log, accessLog, metrics }, loaded.config.server);
  const host = opts.host ?? loaded.config.server.host;
  const port = opts.port ?? loaded.config.server.port;
  try {
    await app.listen({ host, port });
  } catch (err) {
    registry.close();
    throw new OriginSignerError('OS_ERR_LISTEN', `cannot listen on ${host}:${port}: ${(err as Error).message}`, { cause: err });
  }
  const ready = (): Promise<ReadyReport> => readiness(holder.current, providers);
  const statusCtx = statusContextOf(loaded.file, 1, () => holder.current.config);
  const rates = new RateWindow();
  const admin = opts.admin === false ? undefined : await startAdmin(loaded.config.server.admin.host, loaded.config.server.admin.port, {
    metrics: () => metrics.registry.metrics(),
    contentType: metrics.registry.contentType,
    ready,
    status: async () => buildStatus(await metrics.registry.metrics(), statusCtx, rates, clock()),
    cachePurge: (body) => purge(shield, holder.current.config, body),
    cacheStats: async () => combineStats([[process.pid, stats(shield)]]),
    adminHosts: loaded.config.server.admin.hosts,
    log,
  }).catch(async (err: unknown) => {
    await app.close();
    registry.close();
    throw new OriginSignerError('OS_ERR_LISTEN', `cannot listen on the admin address ${loaded.config.server.admin.host}:${loaded.config.server.admin.port}: ${(err as Error).message}`, { cause: err });
  });
  const addr = app.server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${shownHost}:${addr.port}`;
  log.info({ url, admin: admin?.url, blocks: describeBlocks(loaded.config) }, opts.admin === false ? 'worker listening' : 'listening');

  /**
   * A reload never drops a request (README "Reloading the config"): parse and validate the new
   * file; if it is invalid keep serving and log every problem; if valid, start the credential
   * providers it needs, then swap the runtime in one assignment. Requests in flight finish on the
   * runtime (and pools) they started with; pools no longer used close once drained.
   */
  const refused = (config: string, problems: string[]): ReloadResult => {
    log.error({ config, problems }, 'config reload refused; still serving the previous config');
    metrics.configReloads.inc({ result: 'refused' });
    return { ok: false, problems };
  };
  const doReload = async (): Promise<ReloadResult> => {
    let next: LoadedConfig;
    try {
      next = loadConfigFile(loaded.file, { env, now: clock });
    } catch (err) {
      return refused(loaded.file, err instanceof ConfigError ? err.problems.map((p) => formatProblem(err.file, p)) : [(err as Error).message]);
    }
    for (const w of next.warnings) log.warn({ config: next.file }, w);
    const previous = holder.current.config;
    // The stores first: one that cannot open (an unreadable CA file) refuses the reload, and the
    // previous config serves on with its own stores and credentials.
    let nextShield: Shield | undefined;
    try {
      nextShield = await openShield(next.config.cache, shield, shieldDeps);
    } catch (err) {
      return refused(next.file, [`cache: ${(err as Error).message}`]);
    }
    let prepared: ReturnType<CredentialRegistry['prepare']>;
    try {
      prepared = registry.prepare(next.config);
      await Promise.all(prepared.fresh.map((p) => p.start()));
    } catch (err) {
      if (nextShield !== shield) await nextShield?.close();
      throw err;
    }
    // The previous stores serve until the swap below, then close (requests in flight on them finish).
    const retiring = nextShield !== shield ? shield : undefined;
    shield = withSiblings(nextShield, opts.onInvalidate);
    // Entries of blocks that are gone (or now read another bucket) are dropped; the others stay.
    if (shield) await retainBlocks(shield, previous, next.config);
    holder.current = createRuntime(next.config, { pools, providers: prepared.providers, clock, onRetry, onQueued, onQueueWait, ...(shield ? { shield } : {}) });
    await retiring?.close();
    providers = prepared.providers;
    metrics.configReloads.inc({ result: 'applied' });
    metrics.configApplied(configFileHash(next.file), clock());
    for (const p of prepared.retired) p.close();
    void pools.retain(new Set(next.config.proxies.map((b) => poolKey(b.origin, b.pool))));
    // Read by Node's periodic check; the check's interval stays as it was started (at most 1 s).
    app.server.headersTimeout = Math.round(next.config.server.headersTimeout * 1000);
    if (JSON.stringify(previous.server) !== JSON.stringify(next.config.server)) {
      log.warn({ before: previous.server, after: next.config.server }, 'server settings changed: host, port and workers take effect at the next restart');
    }
    log.level = next.config.log.level;
    accessLog.level = next.config.log.level;
    accessLog.viewerFields = { trustProxy: next.config.server.trustProxy, requestHeaders: next.config.log.requestHeaders };
    watch(next.config.server.watchConfig);
    log.info({ config: next.file, blocks: describeBlocks(next.config) }, 'config reloaded');
    return { ok: true };
  };
  const trigger = opts.reloadable === false ? undefined : reloadTrigger(loaded.file, doReload, { log, onFailed: () => metrics.configReloads.inc({ result: 'refused' }) });
  const reload = (): Promise<ReloadResult> => trigger?.reload() ?? Promise.resolve({ ok: false, problems: ['this config did not come from a file'] });
  const watch = (on: boolean): void => trigger?.watch(on);
  watch(loaded.config.server.watchConfig);

  return {
    url,
    port: addr.port,
    adminUrl: admin?.url,
    metrics,
    ready,
    reload,
    credentials: () => registry.all(),
    config: () => holder.current.config,
    cachePurge: (body) => purge(shield, holder.current.config, body),
    cacheStats: () => stats(shield),
    invalidateHere: (base) => void shield?.invalidateHere(base),
    async close() {
      watch(false);
      await app.close();
      // Every request has ended and logged its line: wait until the batch is written (the exit
      // that follows may not wait for a write in flight), then stop the periodic flush.
      if (accessOut) {
        await new Promise<void>((resolve) => accessOut.flush(() => resolve()));
        accessOut.end();
      }
      await admin?.close();
      await pools.close();
      await shield?.close();
      registry.close();
    },
  };
}

/** The shield told where its invalidations go besides this process (a new one after a reload too). */
function withSiblings(shield: Shield | undefined, siblings: ((base: string) => void) | undefined): Shield | undefined {
  if (shield) shield.siblings = siblings;
  return shield;
}

function describeBlocks(config: ResolvedConfig): string[] {
  return config.proxies.map((b) => `${b.path} → ${b.type === 's3' ? `${b.bucket} (${b.endpoint}, ${b.signing.version} ${b.signing.mode})` : b.endpoint} as ${b.credentials.name}`);
}
