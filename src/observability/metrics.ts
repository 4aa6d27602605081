import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Pool } from 'undici';
import type { CredentialProvider } from '../credentials/provider.js';
import { CacheMetrics, type CacheStats } from './cache-metrics.js';
import { VERSION } from './version.js';

/** Live things a scrape reads from: the credential providers and pools in use right now. */
export interface MetricSources {
  credentials(): CredentialProvider[];
  pools(): ReadonlyArray<{ origin: string; pool: Pool }>;
  /** The shield cache's numbers, when there is one. */
  cache?(): CacheStats | undefined;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Prometheus metrics (prom-client), served on the admin listener at /metrics. Names follow the
 * Prometheus conventions: `_total` counters, `_seconds` and `_bytes` units.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'origin_signer_requests_total', help: 'Viewer requests by block, method and status class', labelNames: ['block', 'method', 'status_class'] as const, registers: [this.registry] });
  readonly requestSeconds = new Histogram({ name: 'origin_signer_request_duration_seconds', help: 'Time from request to the end of the response', labelNames: ['block'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly upstreamSeconds = new Histogram({ name: 'origin_signer_upstream_duration_seconds', help: 'Time from dispatch to the upstream response headers', labelNames: ['block'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly bytesOut = new Counter({ name: 'origin_signer_response_bytes_total', help: 'Response body bytes sent to viewers', labelNames: ['block'] as const, registers: [this.registry] });
  readonly bytesIn = new Counter({ name: 'origin_signer_upload_bytes_total', help: 'Upload body bytes received from viewers', labelNames: ['block'] as const, registers: [this.registry] });
  readonly inFlight = new Gauge({ name: 'origin_signer_requests_in_flight', help: 'Viewer requests being served', registers: [this.registry] });
  readonly upstreamErrors = new Counter({ name: 'origin_signer_upstream_errors_total', help: 'Requests that failed to reach the upstream, by code', labelNames: ['block', 'code'] as const, registers: [this.registry] });
  readonly refused = new Counter({ name: 'origin_signer_refused_total', help: 'Requests the proxy refused itself, by error code', labelNames: ['block', 'code'] as const, registers: [this.registry] });
  readonly accessDenied = new Counter({ name: 'origin_signer_access_denied_total', help: 'Viewer requests denied by access rules, by reason', labelNames: ['block', 'reason'] as const, registers: [this.registry] });
  readonly retries = new Counter({ name: 'origin_signer_upstream_retries_total', help: 'Upstream requests retried, by reason', labelNames: ['block', 'reason'] as const, registers: [this.registry] });
  readonly configReloads = new Counter({ name: 'origin_signer_config_reloads_total', help: 'Config reloads by result', labelNames: ['result'] as const, registers: [this.registry] });
  readonly credentialRefreshes = new Counter({ name: 'origin_signer_credentials_refreshes_total', help: 'Successful credential refreshes per set', labelNames: ['set'] as const, registers: [this.registry] });
  readonly credentialRefreshFailures = new Counter({ name: 'origin_signer_credentials_refresh_failures_total', help: 'Failed credential refreshes per set', labelNames: ['set'] as const, registers: [this.registry] });
  /** Requests waiting for a free upstream connection (pool.queueTimeout), and how long they waited. */
  readonly upstreamQueued = new Gauge({ name: 'origin_signer_upstream_queued_requests', help: 'Requests waiting for a free upstream connection, by block', labelNames: ['block'] as const, registers: [this.registry] });
  readonly upstreamQueueWait = new Histogram({ name: 'origin_signer_upstream_queue_wait_seconds', help: 'Time a request waited for a free upstream connection, by block', labelNames: ['block'] as const, buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 10, 30], registers: [this.registry] });
  readonly signatureMismatches = new Counter({ name: 'origin_signer_signature_mismatch_total', help: 'Upstream SignatureDoesNotMatch answers', labelNames: ['block'] as const, registers: [this.registry] });

  /** Wall-clock time of each set's last successful refresh: the status page's "last refresh". */
  readonly credentialLastRefresh = new Gauge({ name: 'origin_signer_credentials_last_refresh_timestamp_seconds', help: 'Unix time of the last successful credential refresh per set (absent for keys that are never refreshed)', labelNames: ['set'] as const, registers: [this.registry], aggregator: 'max' });
  /** The config in use: its file's sha256 (short) as a label, so a scrape shows which one runs. */
  readonly configInfo = new Gauge({ name: 'origin_signer_config_info', help: 'Always 1 per process for the config it serves; sha256 is the first 12 hex digits of the file (with several workers: how many serve it)', labelNames: ['sha256'] as const, registers: [this.registry] });
  readonly configLoaded = new Gauge({ name: 'origin_signer_config_loaded_timestamp_seconds', help: 'Unix time the config in use was loaded (with several workers: the oldest)', registers: [this.registry], aggregator: 'min' });

  /** A config was loaded (at start or by a reload); `sha256` undefined when it came from no file. */
  configApplied(sha256: string | undefined, atMs: number): void {
    this.configInfo.reset();
    this.configInfo.set({ sha256: sha256 ?? 'none' }, 1);
    this.configLoaded.set(atMs / 1000);
  }

  /** Everything the access of one finished request adds to the metrics. */
  countRequest(block: string, method: string, statusClass: string, seconds: number, upstreamSeconds: number | undefined, bytesOut: number, bytesIn: number): void {
    this.requests.inc({ block, method, status_class: statusClass });
    this.requestSeconds.observe({ block }, seconds);
    if (upstreamSeconds !== undefined) this.upstreamSeconds.observe({ block }, upstreamSeconds);
    // Only when there are bytes: a block that never took an upload has no upload series at all
    // (a 0 series for a label set that never occurred is noise on dashboards).
    if (bytesOut > 0) this.bytesOut.inc({ block }, bytesOut);
    if (bytesIn > 0) this.bytesIn.inc({ block }, bytesIn);
  }

  readonly cache: CacheMetrics;

  constructor(sources: MetricSources, opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.cache = new CacheMetrics(this.registry, () => sources.cache?.());
    new Gauge({
      name: 'origin_signer_credentials_expiry_seconds',
      help: 'Seconds until the current credentials of each set expire (absent for keys that do not expire)',
      labelNames: ['set'] as const,
      registers,
      // With several workers: the soonest expiry, not a sum.
      aggregator: 'min',
      collect() {
        this.reset();
        const now = Date.now();
        for (const p of sources.credentials()) {
          const e = p.state().expiration;
          if (e) this.set({ set: p.name }, (e.getTime() - now) / 1000);
        }
      },
    });
    new Gauge({
      name: 'origin_signer_credentials_valid',
      help: '1 when the set has credentials it may sign with now (in every worker)',
      labelNames: ['set'] as const,
      registers,
      aggregator: 'min',
      collect() {
        this.reset();
        for (const p of sources.credentials()) this.set({ set: p.name }, p.state().valid ? 1 : 0);
      },
    });
    new Gauge({
      name: 'origin_signer_credentials_consecutive_failures',
      help: 'Refresh failures since the last success, per set (the worst worker)',
      labelNames: ['set'] as const,
      registers,
      aggregator: 'max',
      collect() {
        this.reset();
        for (const p of sources.credentials()) this.set({ set: p.name }, p.state().consecutiveFailures);
      },
    });
    new Gauge({
      name: 'origin_signer_pool_connections',
      help: 'Upstream connections per origin: connected, and of those free (idle)',
      labelNames: ['origin', 'state'] as const,
      registers,
      collect() {
        this.reset();
        for (const { origin, pool } of sources.pools()) {
          const s = pool.stats;
          this.set({ origin, state: 'connected' }, s.connected);
          this.set({ origin, state: 'free' }, s.free);
        }
      },
    });
    // Requests, not connections: undici's running/pending count requests on (or waiting for) them.
    new Gauge({
      name: 'origin_signer_pool_requests',
      help: 'Upstream requests per origin: running on a connection, pending (waiting for one)',
      labelNames: ['origin', 'state'] as const,
      registers,
      collect() {
        this.reset();
        for (const { origin, pool } of sources.pools()) {
          const s = pool.stats;
          this.set({ origin, state: 'running' }, s.running);
          this.set({ origin, state: 'pending' }, s.pending);
        }
      },
    });
    new Gauge({
      name: 'origin_signer_build_info',
      help: 'Always 1; the labels say which origin-signer and Node run',
      labelNames: ['version', 'node'] as const,
      registers,
      // With several workers: the same build everywhere, 1 rather than the worker count.
      aggregator: 'first',
    }).set({ version: VERSION, node: process.version }, 1);
    // No prefix: stock Node dashboards and alerts look for process_* and nodejs_* by these names.
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }
}

export const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;
