// deploy/grafana/origin-signer.json against a real proxy's /metrics: every metric name a panel or
// variable query uses is exposed, with every label the query matches on or groups by. The names
// and labels are read from the PromQL with small regexes (no PromQL parser is installed); labels
// Prometheus adds to each scraped target (job, instance, …) are allowed everywhere.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scrape, type Exposition } from '../../support/ops-prom.js';
import { startObservedProxy } from '../../support/ops-traffic.js';
import { repoRoot } from '../../support/paths.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DASHBOARD = JSON.parse(readFileSync(join(repoRoot, 'deploy', 'grafana', 'origin-signer.json'), 'utf8')) as Obj;
const TARGET_LABELS = new Set(['job', 'instance', 'namespace', 'pod', 'service', 'endpoint', 'container']);
const METRIC = /\b((?:origin_signer|process|nodejs)_[a-zA-Z0-9_]*)\b(\s*\{[^}]*\})?/g;

interface Query {
  readonly where: string;
  readonly expr: string;
}

/** Every PromQL expression in the dashboard: panel targets, and variable queries (label_values(…)). */
function queries(): Query[] {
  const out: Query[] = [];
  for (const p of DASHBOARD.panels as Obj[]) for (const t of (p.targets ?? []) as Obj[]) out.push({ where: `panel "${p.title}" ${t.refId}`, expr: t.expr });
  for (const v of DASHBOARD.templating.list as Obj[]) if (v.type === 'query') out.push({ where: `variable $${v.name}`, expr: typeof v.query === 'string' ? v.query : v.query.query });
  return out;
}

/** The metrics an expression reads, the labels each is matched on, and the labels it groups by. */
export function promqlUses(expr: string): { metrics: Map<string, Set<string>>; grouping: Set<string> } {
  const metrics = new Map<string, Set<string>>();
  for (const m of expr.matchAll(METRIC)) {
    const labels = metrics.get(m[1]!) ?? new Set<string>();
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)) labels.add(l[1]!);
    metrics.set(m[1]!, labels);
  }
  const grouping = new Set<string>();
  for (const g of expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)) for (const l of g[1]!.split(',')) if (l.trim()) grouping.add(l.trim());
  // label_values(metric{…}, label): the label is read from that metric.
  const lv = /label_values\(\s*[^,]+,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)/.exec(expr);
  if (lv) grouping.add(lv[1]!);
  return { metrics, grouping };
}

const labelsOf = (e: Exposition, name: string): Set<string> => new Set(e.samples.filter((s) => s.name === name).flatMap((s) => Object.keys(s.labels)));

test('the PromQL reader finds names, matchers and grouping', () => {
  const u = promqlUses('histogram_quantile(0.99, sum by (block, le) (rate(origin_signer_x_bucket{job=~"$job", block!="a"}[5m]))) / process_y');
  assert.deepEqual([...u.metrics.keys()], ['origin_signer_x_bucket', 'process_y']);
  assert.deepEqual([...u.metrics.get('origin_signer_x_bucket')!], ['job', 'block']);
  assert.deepEqual([...u.grouping], ['block', 'le']);
  assert.deepEqual([...promqlUses('label_values(origin_signer_requests_total{job=~"$job"}, block)').grouping], ['block']);
});

test('the dashboard covers traffic, latency, errors, pools and queue, credentials and the process', () => {
  const used = new Set(queries().flatMap((q) => [...promqlUses(q.expr).metrics.keys()]));
  for (const n of [
    'origin_signer_requests_total',
    'origin_signer_request_duration_seconds_bucket',
    'origin_signer_upstream_duration_seconds_bucket',
    'origin_signer_upstream_errors_total',
    'origin_signer_pool_connections',
    'origin_signer_pool_requests',
    'origin_signer_upstream_queued_requests',
    'origin_signer_upstream_queue_wait_seconds_bucket',
    'origin_signer_credentials_expiry_seconds',
    'process_resident_memory_bytes',
    'process_cpu_seconds_total',
  ]) assert.ok(used.has(n), `a query uses ${n}`);
  for (const p of DASHBOARD.panels as Obj[]) if (p.type !== 'row') assert.equal(p.datasource?.uid, '${datasource}', `panel "${p.title}" uses the data source variable`);
  assert.ok((DASHBOARD.panels as Obj[]).every((p) => p.type === 'row' || (p.targets as Obj[]).length > 0));
});

test('every metric and label the dashboard queries is in a real proxy\'s /metrics', { timeout: 60_000 }, async (t) => {
  const { proxy } = await startObservedProxy(t);
  const e = await scrape(proxy.adminUrl);
  const problems: string[] = [];
  for (const q of queries()) {
    const { metrics, grouping } = promqlUses(q.expr);
    assert.ok(metrics.size > 0, `${q.where} reads a metric: ${q.expr}`);
    for (const [name, matched] of metrics) {
      const has = labelsOf(e, name);
      if (!e.samples.some((s) => s.name === name)) {
        problems.push(`${q.where}: ${name} is not in /metrics`);
        continue;
      }
      for (const l of [...matched, ...grouping]) {
        if (TARGET_LABELS.has(l) || has.has(l)) continue;
        problems.push(`${q.where}: ${name} has no label ${l} (it has ${[...has].join(', ') || 'none'})`);
      }
    }
  }
  assert.deepEqual(problems, []);
});
