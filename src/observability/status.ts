import { byLabel, quantile, readExposition, type Sample } from './exposition.js';
import type { RateWindow } from './status-rates.js';

/**
 * What the admin status page (GET /, GET /status.json) shows. Built only from the metrics text and
 * the config's names — never from credentials themselves — so it cannot show a secret.
 */
export interface StatusReport {
  readonly generatedAt: string;
  readonly version: string | undefined;
  readonly node: string | undefined;
  /** 1, or the worker count when the primary shows every worker's metrics summed. */
  readonly processes: number;
  readonly config: { readonly file: string; readonly sha256: string[]; readonly loadedAt: string | undefined };
  /** Seconds the request rates cover (0 until the page has been looked at twice, a second apart). */
  readonly rateSeconds: number;
  readonly blocks: BlockStatus[];
  readonly pools: PoolStatus[];
  readonly credentials: CredentialStatus[];
}

export interface BlockStatus {
  readonly path: string;
  readonly origin: string | undefined;
  readonly credentials: string | undefined;
  readonly requests: number;
  readonly ratePerSecond: number | undefined;
  readonly statusClasses: Record<string, number>;
  readonly upstreamP50Seconds: number | undefined;
  readonly upstreamP99Seconds: number | undefined;
  readonly requestP99Seconds: number | undefined;
  readonly upstreamErrors: number;
  readonly refused: number;
  readonly queued: number;
  readonly queueWaitP99Seconds: number | undefined;
  readonly bytesOut: number;
  readonly bytesIn: number;
}

export interface PoolStatus {
  readonly origin: string;
  readonly connected: number;
  readonly free: number;
  readonly running: number;
  readonly pending: number;
}

export interface CredentialStatus {
  readonly name: string;
  readonly source: string;
  readonly valid: boolean | undefined;
  readonly expiresAt: string | undefined;
  readonly lastRefreshAt: string | undefined;
  readonly refreshes: number;
  readonly refreshFailures: number;
  readonly consecutiveFailures: number;
}

/** What the metrics do not say: the config's blocks and credential sets, by name. */
export interface StatusContext {
  readonly configFile: string;
  readonly processes: number;
  blocks(): ReadonlyArray<{ path: string; origin: string; credentials: string }>;
  /** Set name → where its credentials come from (`static`, `instance-metadata`, …). */
  credentialSources(): ReadonlyMap<string, string>;
}

const sumOf = (list: readonly Sample[] | undefined, where: (s: Sample) => boolean = () => true): number => (list ?? []).filter(where).reduce((a, s) => a + s.value, 0);
const iso = (seconds: number | undefined): string | undefined => (seconds === undefined || !Number.isFinite(seconds) ? undefined : new Date(seconds * 1000).toISOString());

function histogramQuantile(q: number, bySet: Map<string, Sample[]>, key: string): number | undefined {
  const buckets = (bySet.get(key) ?? []).map((s) => ({ le: Number(s.labels.le === '+Inf' ? Infinity : s.labels.le), count: s.value }));
  return quantile(q, buckets);
}

export function buildStatus(metricsText: string, ctx: StatusContext, rates: RateWindow, nowMs: number): StatusReport {
  const samples = readExposition(metricsText);
  const one = (name: string): Sample | undefined => samples.find((s) => s.name === name);
  const requests = byLabel(samples, 'origin_signer_requests_total', 'block');
  const upstream = byLabel(samples, 'origin_signer_upstream_duration_seconds_bucket', 'block');
  const total = byLabel(samples, 'origin_signer_request_duration_seconds_bucket', 'block');
  const queueWait = byLabel(samples, 'origin_signer_upstream_queue_wait_seconds_bucket', 'block');
  const perBlock = (name: string): Map<string, Sample[]> => byLabel(samples, name, 'block');
  const errors = perBlock('origin_signer_upstream_errors_total');
  const refused = perBlock('origin_signer_refused_total');
  const queued = perBlock('origin_signer_upstream_queued_requests');
  const bytesOut = perBlock('origin_signer_response_bytes_total');
  const bytesIn = perBlock('origin_signer_upload_bytes_total');

  const configured = ctx.blocks();
  const paths = [...configured.map((b) => b.path), ...[...requests.keys()].filter((p) => !configured.some((b) => b.path === p))];
  const totals = new Map(paths.map((p) => [p, sumOf(requests.get(p))]));
  const { rates: perSecond, seconds } = rates.observe(nowMs, totals);

  const blocks: BlockStatus[] = paths.map((path) => {
    const b = configured.find((c) => c.path === path);
    const classes: Record<string, number> = {};
    for (const s of requests.get(path) ?? []) classes[s.labels.status_class ?? '?'] = (classes[s.labels.status_class ?? '?'] ?? 0) + s.value;
    return {
      path,
      origin: b?.origin,
      credentials: b?.credentials,
      requests: totals.get(path) ?? 0,
      ratePerSecond: seconds > 0 ? perSecond.get(path) : undefined,
      statusClasses: classes,
      upstreamP50Seconds: histogramQuantile(0.5, upstream, path),
      upstreamP99Seconds: histogramQuantile(0.99, upstream, path),
      requestP99Seconds: histogramQuantile(0.99, total, path),
      upstreamErrors: sumOf(errors.get(path)),
      refused: sumOf(refused.get(path)),
      queued: sumOf(queued.get(path)),
      queueWaitP99Seconds: histogramQuantile(0.99, queueWait, path),
      bytesOut: sumOf(bytesOut.get(path)),
      bytesIn: sumOf(bytesIn.get(path)),
    };
  });

  const connections = byLabel(samples, 'origin_signer_pool_connections', 'origin');
  const poolRequests = byLabel(samples, 'origin_signer_pool_requests', 'origin');
  const pools: PoolStatus[] = [...new Set([...connections.keys(), ...poolRequests.keys()])].map((origin) => {
    const state = (m: Map<string, Sample[]>, st: string): number => sumOf(m.get(origin), (s) => s.labels.state === st);
    return { origin, connected: state(connections, 'connected'), free: state(connections, 'free'), running: state(poolRequests, 'running'), pending: state(poolRequests, 'pending') };
  });

  const perSet = (name: string): Map<string, Sample[]> => byLabel(samples, name, 'set');
  const valid = perSet('origin_signer_credentials_valid');
  const expiry = perSet('origin_signer_credentials_expiry_seconds');
  const lastRefresh = perSet('origin_signer_credentials_last_refresh_timestamp_seconds');
  const refreshes = perSet('origin_signer_credentials_refreshes_total');
  const failures = perSet('origin_signer_credentials_refresh_failures_total');
  const consecutive = perSet('origin_signer_credentials_consecutive_failures');
  const sources = ctx.credentialSources();
  const setNames = [...new Set([...sources.keys(), ...valid.keys()])];
  const credentials: CredentialStatus[] = setNames.map((name) => {
    const left = expiry.get(name)?.[0]?.value;
    return {
      name,
      source: sources.get(name) ?? '?',
      valid: valid.has(name) ? valid.get(name)!.every((s) => s.value >= 1) : undefined,
      expiresAt: left === undefined ? undefined : iso(nowMs / 1000 + left),
      lastRefreshAt: iso(lastRefresh.get(name)?.[0]?.value),
      refreshes: sumOf(refreshes.get(name)),
      refreshFailures: sumOf(failures.get(name)),
      consecutiveFailures: Math.max(0, ...(consecutive.get(name) ?? []).map((s) => s.value)),
    };
  });

  const build = one('origin_signer_build_info');
  return {
    generatedAt: new Date(nowMs).toISOString(),
    version: build?.labels.version,
    node: build?.labels.node,
    processes: ctx.processes,
    config: {
      file: ctx.configFile,
      sha256: samples.filter((s) => s.name === 'origin_signer_config_info' && s.value > 0).map((s) => s.labels.sha256 ?? '?'),
      loadedAt: iso(one('origin_signer_config_loaded_timestamp_seconds')?.value),
    },
    rateSeconds: seconds,
    blocks,
    pools,
    credentials,
  };
}
