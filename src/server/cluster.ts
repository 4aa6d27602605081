import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { AggregatorRegistry } from 'prom-client';
import type { LoadedConfig } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import type { ReadyReport } from './readiness.js';
import { buildStatus } from '../observability/status.js';
import { statusContextOf } from '../observability/status-context.js';
import { RateWindow } from '../observability/status-rates.js';
import { startAdmin } from './admin.js';
import { combinePurges, combineStats, type AdminAnswer } from './cache-admin.js';
import { WorkerAsk, type AnswerMessage, type AskMessage } from './worker-ask.js';
import type { RunningProxy } from './serve.js';

/** A write's invalidation, from the worker that made it to the primary, and on to every other worker. */
type Invalidate = { type: 'os:invalidate'; base: string };
/** Messages between the primary and its workers. */
type ToWorker = { type: 'os:reload' } | AskMessage | Invalidate;
type ToPrimary = { type: 'os:listening'; url: string } | AnswerMessage | Invalidate;
const isToPrimary = (m: unknown): m is ToPrimary => typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string' && (m as { type: string }).type.startsWith('os:');

export function workerCount(workers: number | 'auto'): number {
  return workers === 'auto' ? availableParallelism() : workers;
}

/** Worker restarts: a worker that served this long before dying was not part of a crash loop. */
export const RESTART = { stableMs: 1000, baseMs: 250, maxMs: 10_000 } as const;

/**
 * How long to wait before replacing a worker that died, and the crash streak after it. A worker
 * that had been listening for {@link RESTART}.stableMs (a kill, a crash after serving) is replaced
 * at once and ends the streak; one that died before that (a config or environment it cannot
 * start with) extends it, and the delay doubles with the streak up to maxMs, so a crash loop
 * does not burn a core on forks. Pure: `now` and `listenedAt` come from the caller's clock.
 */
export function restartDelay(streak: number, listenedAt: number | undefined, now: number): { readonly streak: number; readonly delayMs: number } {
  if (listenedAt !== undefined && now - listenedAt >= RESTART.stableMs) return { streak: 0, delayMs: 0 };
  const next = streak + 1;
  return { streak: next, delayMs: Math.min(RESTART.maxMs, RESTART.baseMs * 2 ** Math.min(next - 1, 6)) };
}

/**
 * `server.workers` > 1: the primary forks that many workers running the same CLI (node:cluster;
 * they share the listening port, connections are spread round-robin). It replaces a worker that
 * dies, passes SIGHUP on as a reload to every worker, stops them all gracefully on SIGTERM/SIGINT,
 * and serves the admin endpoints for all of them: /readyz asks each worker, /metrics aggregates
 * their metrics (prom-client's AggregatorRegistry).
 */
export async function runPrimary(loaded: LoadedConfig, log: Logger, clock: () => number = Date.now): Promise<void> {
  const count = workerCount(loaded.config.server.workers);
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  const asking = new WorkerAsk();
  let crashStreak = 0;
  /** When each running worker reported listening (by cluster worker id). */
  const listenedAt = new Map<number, number>();

  const onMessage = (worker: Worker, msg: unknown): void => {
    if (!isToPrimary(msg)) return;
    if (msg.type === 'os:answer') asking.answered(worker, msg);
    // Each worker has its own memory store: a write through one must drop the others' copies too.
    else if (msg.type === 'os:invalidate' && typeof msg.base === 'string') {
      for (const w of connected()) if (w !== worker) w.send({ type: 'os:invalidate', base: msg.base } satisfies ToWorker);
    }
  };
  cluster.on('message', onMessage);

  const fork = (): Worker => cluster.fork({ ORIGIN_SIGNER_WORKER: '1' });
  cluster.on('exit', (worker, code, signal) => {
    const since = listenedAt.get(worker.id);
    listenedAt.delete(worker.id);
    if (stopping) return;
    const next = restartDelay(crashStreak, since, clock());
    crashStreak = next.streak;
    const delay = next.delayMs;
    log.error({ worker: worker.process.pid, code, signal, upMs: since === undefined ? undefined : clock() - since, restartInMs: delay }, 'worker exited; starting a new one');
    setTimeout(() => {
      if (!stopping) fork();
    }, delay).unref();
  });

  const listening = new Promise<string>((resolve) => {
    let up = 0;
    cluster.on('message', (w, msg: unknown) => {
      if (!isToPrimary(msg) || msg.type !== 'os:listening') return;
      listenedAt.set(w.id, clock());
      if (++up === count) resolve(msg.url);
    });
  });
  for (let i = 0; i < count; i++) fork();

  const connected = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected());
  const ready = async (): Promise<ReadyReport> => {
    const workers = connected();
    const answers = (await asking.ask(workers, { what: 'readyz' })) as Array<readonly [number | undefined, ReadyReport | undefined]>;
    const checks: ReadyReport['checks'] = { workers: { ok: workers.length === count, detail: `${workers.length} of ${count} running` } };
    for (const [pid, report] of answers) checks[`worker:${pid}`] = report ? { ok: report.ready, detail: JSON.stringify(report.checks) } : { ok: false, detail: 'no answer' };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  };

  const url = await listening;
  // The status page from the same aggregate as /metrics; the block and set names from the config
  // the primary loaded at start (a reload happens in the workers).
  const statusCtx = statusContextOf(loaded.file, count, () => loaded.config);
  const rates = new RateWindow();
  const admin = await startAdmin(loaded.config.server.admin.host, loaded.config.server.admin.port, {
    metrics: () => aggregator.clusterMetrics(),
    contentType: aggregator.contentType,
    ready,
    status: async () => buildStatus(await aggregator.clusterMetrics(), statusCtx, rates, clock()),
    // Each worker has its own memory store: a purge goes to every one, stats list each.
    cachePurge: async (body) => combinePurges(await asking.ask(connected(), { what: 'cache-purge', body })),
    cacheStats: async () => combineStats(await asking.ask(connected(), { what: 'cache-stats' })),
    adminHosts: loaded.config.server.admin.hosts,
    log,
  });
  const pids = Object.values(cluster.workers ?? {}).map((w) => w?.process.pid);
  log.info({ url, admin: admin.url, workers: pids }, 'listening');

  process.on('SIGHUP', () => {
    log.info('SIGHUP: reloading the config in every worker');
    for (const w of Object.values(cluster.workers ?? {})) w?.send({ type: 'os:reload' } satisfies ToWorker);
  });
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping workers');
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    let left = workers.length;
    const done = (): void => {
      void admin.close().then(() => process.exit(0));
    };
    if (left === 0) return done();
    for (const w of workers) {
      w.once('exit', () => {
        if (--left === 0) done();
      });
      w.process.kill('SIGTERM');
    }
    setTimeout(() => {
      log.warn('workers did not stop in time; exiting');
      process.exit(1);
    }, (loaded.config.server.shutdownTimeout + 5) * 1000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** The worker side: report listening, answer readiness, reload on the primary's word, share metrics. */
export function serveAsWorker(proxy: RunningProxy): void {
  // prom-client installs the worker's answer to the primary's metrics requests when an
  // AggregatorRegistry is constructed in the worker; setRegistries alone does not.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([proxy.metrics.registry]);
  process.send?.({ type: 'os:listening', url: proxy.url } satisfies ToPrimary);
  const answer = (id: number, value: unknown): void => void process.send?.({ type: 'os:answer', id, value } satisfies ToPrimary);
  // An admin request must never reject unhandled here: Node ends the process on it, and every
  // worker gets the same question, so one bad purge would take down the whole fleet at once.
  const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));
  process.on('message', (msg: ToWorker) => {
    if (msg?.type === 'os:reload') void proxy.reload();
    else if (msg?.type === 'os:invalidate') proxy.invalidateHere(msg.base);
    else if (msg?.type === 'os:ask') {
      const q = msg.question;
      if (q.what === 'readyz') void proxy.ready().then((report) => answer(msg.id, report), (err: unknown) => answer(msg.id, { ready: false, checks: { worker: { ok: false, detail: reason(err) } } } satisfies ReadyReport));
      else if (q.what === 'cache-stats') answer(msg.id, proxy.cacheStats());
      else if (q.what === 'cache-purge') void proxy.cachePurge(q.body).then((a) => answer(msg.id, a), (err: unknown) => answer(msg.id, { status: 500, body: { error: reason(err) } } satisfies AdminAnswer));
    }
  });
}

/** A worker's invalidation, for the primary to pass on to the other workers (serve.ts onInvalidate). */
export const tellSiblings = (base: string): void => void process.send?.({ type: 'os:invalidate', base } satisfies ToPrimary);

export const isClusterWorker = (): boolean => cluster.isWorker && process.env.ORIGIN_SIGNER_WORKER === '1';
