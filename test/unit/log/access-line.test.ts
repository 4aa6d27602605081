// The access log (src/log/access-line.ts): one JSON line per request in pino's format, with the
// fields README "Operations → Logs" documents, in a fixed order, undefined ones left out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccessLog, type AccessEntry } from '../../../src/log/access-line.js';

const BASE: AccessEntry = {
  reqId: '0b6a1f5e-6d1c-4a43-9d44-2f0d1c1e9a10',
  block: '/bkt/',
  method: 'GET',
  path: '/bkt/small',
  query: undefined,
  remoteAddr: undefined,
  userAgent: undefined,
  referer: undefined,
  headers: undefined,
  status: 200,
  bytesIn: undefined,
  bytesOut: 1024,
  upstreamStatus: 200,
  upstreamRequestId: undefined,
  upstreamId2: undefined,
  upstreamMs: 0.4,
  ms: 1.2,
  credentials: 'main',
  error: undefined,
  detail: undefined,
  denied: undefined,
  aborted: undefined,
};

function collect(level = 'info'): { log: AccessLog; lines: string[] } {
  const lines: string[] = [];
  return { log: new AccessLog(level, { write: (s: string) => void lines.push(s) }), lines };
}

test('the common line: level, time, pid, the entry\'s fields in order, msg; undefined fields left out', () => {
  const { log, lines } = collect();
  log.write(BASE);
  assert.equal(lines.length, 1);
  assert.ok(lines[0]!.endsWith('}\n'), 'one line');
  const line = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.deepEqual(Object.keys(line), ['level', 'time', 'pid', 'reqId', 'block', 'method', 'path', 'status', 'bytesOut', 'upstreamStatus', 'upstreamMs', 'ms', 'credentials', 'msg']);
  assert.equal(line.level, 'info');
  assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(line.pid, process.pid);
  assert.equal(line.msg, 'request');
  assert.equal(line.status, 200);
  assert.equal(line.upstreamMs, 0.4);
});

test('every field set: all of them, in the documented order', () => {
  const { log, lines } = collect();
  log.write({
    ...BASE,
    query: 'list-type=2&prefix=a',
    remoteAddr: '203.0.113.7',
    userAgent: 'curl/8.5.0',
    referer: 'https://example.com/player',
    headers: { 'x-cdn-pop': 'FRA56' },
    bytesIn: 5,
    upstreamRequestId: 'TX1',
    upstreamId2: 'id2',
    error: 'OS_ERR_ACCESS_DENIED',
    detail: 'access denied: ip not allowed',
    denied: 'ip',
    aborted: true,
    status: 499,
  });
  const line = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.deepEqual(Object.keys(line).slice(3, -1), Object.keys(BASE));
  assert.equal(line.aborted, true);
  assert.equal(line.denied, 'ip');
});

test('awkward paths and queries (quotes, backslashes, control characters, non-ASCII, long) stay one valid line', () => {
  const paths = ['/bkt/a"b', '/bkt/a\\b', '/bkt/tab\there', '/bkt/nl\nx', '/bkt/\u0001', '/bkt/ünï', '/bkt/\u00ff\u0080', '/bkt/\u2028', `/bkt/${'x'.repeat(300)}`, '/bkt/%22%5C', '/bkt/(a)+b=c@d'];
  const { log, lines } = collect();
  for (const path of paths) log.write({ ...BASE, path, query: `q=${path}` });
  assert.equal(lines.length, paths.length);
  lines.forEach((l, i) => {
    assert.equal(l.indexOf('\n'), l.length - 1, 'no raw newline inside the line');
    const parsed = JSON.parse(l) as { path: string; query: string };
    assert.equal(parsed.path, paths[i]);
    assert.equal(parsed.query, `q=${paths[i]}`);
  });
});

test('level: lines are written at info, debug and trace, not at warn, error, fatal or silent; a reload can change it', () => {
  const { log, lines } = collect();
  for (const [level, writes] of [['debug', true], ['trace', true], ['warn', false], ['error', false], ['fatal', false], ['silent', false], ['info', true]] as const) {
    log.level = level;
    assert.equal(log.level, level);
    const before: number = lines.length;
    log.write(BASE);
    assert.equal(lines.length - before, writes ? 1 : 0, level);
  }
});

test('level by outcome: info below 500, warn for a 5xx, error for the proxy\'s own fault — so log.level warn keeps only the failures', () => {
  const { log, lines } = collect('warn');
  log.write(BASE);
  log.write({ ...BASE, status: 404 });
  log.write({ ...BASE, status: 502, error: 'OS_ERR_UPSTREAM_UNREACHABLE' });
  log.write({ ...BASE, status: 503, upstreamStatus: 503 });
  log.write({ ...BASE, status: 500, error: 'OS_ERR_INTERNAL' });
  assert.deepEqual(lines.map((l) => [(JSON.parse(l) as { level: string; status: number }).level, (JSON.parse(l) as { status: number }).status]), [['warn', 502], ['warn', 503], ['error', 500]]);
});
