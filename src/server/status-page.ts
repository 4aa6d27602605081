import type { StatusReport } from '../observability/status.js';

/** Seconds between the page's own reloads (a meta refresh: no script, no build step, no CDN). */
export const STATUS_REFRESH_SECONDS = 5;

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const dash = '—';
const ms = (s: number | undefined): string => (s === undefined ? dash : `${(s * 1000).toFixed(s < 0.01 ? 2 : 1)} ms`);
const count = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}

function ago(iso: string | undefined, nowMs: number): string {
  if (!iso) return dash;
  const s = Math.round((Date.parse(iso) - nowMs) / 1000);
  const abs = Math.abs(s);
  const text = abs < 120 ? `${abs} s` : abs < 7200 ? `${Math.round(abs / 60)} min` : `${(abs / 3600).toFixed(1)} h`;
  return `${esc(iso)} <span class="dim">(${s > 0 ? 'in ' : ''}${text}${s <= 0 ? ' ago' : ''})</span>`;
}

const CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

const CSS = `
body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222;background:#fafafa}
h1{font-size:18px;margin:0 0 4px}h2{font-size:14px;margin:18px 0 6px}
.dim{color:#777}.bad{background:#fdd}.warn{background:#ffe9b3}.ok{background:#dfd}
table{border-collapse:collapse;background:#fff;margin-bottom:8px}
th,td{border:1px solid #ccc;padding:3px 7px;text-align:right;white-space:nowrap}
th{background:#3a5f8a;color:#fff;font-weight:600}td.l,th.l{text-align:left}
`;

/**
 * The admin status page, in the spirit of HAProxy's stats page: one table row per block, per
 * upstream pool and per credential set. Every value is HTML-escaped; the report holds no secret.
 */
export function renderStatusPage(r: StatusReport): string {
  const now = Date.parse(r.generatedAt);
  const rateHead = r.rateSeconds > 0 ? `req/s <span class="dim">(${Math.round(r.rateSeconds)} s)</span>` : 'req/s';
  const blockRows = r.blocks
    .map((b) => {
      const errors = b.upstreamErrors + (b.statusClasses['5xx'] ?? 0) > 0;
      return `<tr class="${errors ? 'warn' : ''}" data-block="${esc(b.path)}"><td class="l">${esc(b.path)}</td><td class="l">${esc(b.origin ?? dash)}</td><td class="l">${esc(b.credentials ?? dash)}</td>`
        + `<td class="requests">${b.requests}</td><td>${b.ratePerSecond === undefined ? dash : b.ratePerSecond.toFixed(2)}</td>`
        + CLASSES.map((c) => `<td>${count(b.statusClasses[c] ?? 0)}</td>`).join('')
        + `<td>${ms(b.upstreamP50Seconds)}</td><td>${ms(b.upstreamP99Seconds)}</td><td>${ms(b.requestP99Seconds)}</td>`
        + `<td>${b.upstreamErrors}</td><td>${b.refused}</td><td>${b.queued}</td><td>${ms(b.queueWaitP99Seconds)}</td>`
        + `<td>${bytes(b.bytesOut)}</td><td>${bytes(b.bytesIn)}</td></tr>`;
    })
    .join('\n');
  const poolRows = r.pools
    .map((p) => `<tr class="${p.pending > 0 ? 'warn' : ''}"><td class="l">${esc(p.origin)}</td><td>${p.connected}</td><td>${p.free}</td><td>${p.running}</td><td>${p.pending}</td></tr>`)
    .join('\n');
  const credRows = r.credentials
    .map((c) => {
      const cls = c.valid === false ? 'bad' : c.consecutiveFailures > 0 ? 'warn' : 'ok';
      return `<tr class="${cls}" data-set="${esc(c.name)}"><td class="l">${esc(c.name)}</td><td class="l">${esc(c.source)}</td><td class="l">${c.valid === undefined ? dash : c.valid ? 'yes' : 'NO'}</td>`
        + `<td class="l">${c.expiresAt ? ago(c.expiresAt, now) : 'never'}</td><td class="l">${ago(c.lastRefreshAt, now)}</td>`
        + `<td>${c.refreshes}</td><td>${c.refreshFailures}</td><td>${c.consecutiveFailures}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="${STATUS_REFRESH_SECONDS}">
<meta name="viewport" content="width=device-width">
<title>origin-signer status</title><style>${CSS}</style></head>
<body>
<h1>origin-signer ${esc(r.version ?? '')}</h1>
<div class="dim">node ${esc(r.node ?? '?')} · ${r.processes === 1 ? '1 process' : `${r.processes} workers, their metrics summed`} · generated ${esc(r.generatedAt)} · reloads every ${STATUS_REFRESH_SECONDS} s · <a href="status.json">status.json</a> · <a href="metrics">metrics</a></div>
<div id="config">config <code>${esc(r.config.file)}</code> sha256 <code class="sha">${r.config.sha256.map(esc).join(', ') || dash}</code> loaded ${ago(r.config.loadedAt, now)}</div>
<h2>Blocks</h2>
<table id="blocks"><tr><th class="l">block</th><th class="l">origin</th><th class="l">credentials</th><th>requests</th><th>${rateHead}</th>${CLASSES.map((c) => `<th>${c}</th>`).join('')}<th>upstream p50</th><th>upstream p99</th><th>total p99</th><th>upstream errors</th><th>refused</th><th>queued</th><th>queue wait p99</th><th>bytes out</th><th>bytes in</th></tr>
${blockRows}
</table>
<h2>Upstream pools</h2>
<table id="pools"><tr><th class="l">origin</th><th>connected</th><th>free</th><th>running</th><th>pending</th></tr>
${poolRows || `<tr><td class="l" colspan="5">no pool yet</td></tr>`}
</table>
<h2>Credentials</h2>
<table id="credentials"><tr><th class="l">set</th><th class="l">source</th><th class="l">valid</th><th class="l">expires</th><th class="l">last refresh</th><th>refreshes</th><th>failures</th><th>in a row</th></tr>
${credRows}
</table>
<p class="dim">Latencies are quantiles over everything since the process started (buckets of the histograms in /metrics); the request rate is over the time between looks at this page, up to a minute.</p>
</body></html>
`;
}
