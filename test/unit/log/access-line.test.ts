// The access line is built by hand for speed (src/log/access-line.ts); it must stay the line pino
// wrote before — same bytes, same fields in the same order — for every value a request can put in
// it, awkward paths and queries included. Lone surrogates are the one deliberate difference:
// escaped (valid JSON that round-trips) where pino wrote them raw.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { pino } from 'pino';
import { AccessLog, accessLine, type AccessEntry } from '../../../src/log/access-line.js';
import { isoTime } from '../../../src/log/iso-time.js';

const PID = 4242;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The line pino wrote with the access logger's former options, at time `ms`. */
function pinoLine(entry: AccessEntry, ms: number): string {
  let out = '';
  const realNow = Date.now;
  Date.now = () => ms;
  try {
    const logger = pino(
      { level: 'info', base: { pid: PID }, timestamp: isoTime, formatters: { level: (label) => ({ level: label }) } },
      { write: (s: string) => void (out += s) },
    );
    logger.info({ ...entry }, 'request');
  } finally {
    Date.now = realNow;
  }
  return out;
}

const BASE: AccessEntry = {
  reqId: '0b6a1f5e-6d1c-4a43-9d44-2f0d1c1e9a10',
  block: '/bkt/',
  method: 'GET',
  path: '/bkt/small',
  query: undefined,
  status: 200,
  bytesIn: undefined,
  bytesOut: 1024,
  upstreamStatus: 200,
  upstreamMs: 0.4,
  ms: 1.2,
  credentials: 'main',
  error: undefined,
  denied: undefined,
  aborted: undefined,
};

const T = Date.UTC(2026, 11, 3, 13, 5, 7, 81);

test('the common line: the same bytes as pino', () => {
  assert.equal(accessLine(BASE, T, PID), pinoLine(BASE, T));
  assert.equal(accessLine(BASE, T, PID), '{"level":"info","time":"2026-12-03T13:05:07.081Z","pid":4242,"reqId":"0b6a1f5e-6d1c-4a43-9d44-2f0d1c1e9a10","block":"/bkt/","method":"GET","path":"/bkt/small","status":200,"bytesOut":1024,"upstreamStatus":200,"upstreamMs":0.4,"ms":1.2,"credentials":"main","msg":"request"}\n');
});

test('every field set, and every optional one left out: the same bytes as pino', () => {
  const full: AccessEntry = { ...BASE, query: 'list-type=2&prefix=a', bytesIn: 5, error: 'OS_ERR_ACCESS_DENIED', denied: 'ip', aborted: true, status: 499 };
  assert.equal(accessLine(full, T, PID), pinoLine(full, T));
  const bare: AccessEntry = { ...BASE, block: undefined, upstreamStatus: undefined, upstreamMs: undefined, credentials: undefined, status: 404 };
  assert.equal(accessLine(bare, T, PID), pinoLine(bare, T));
});

test('awkward paths and queries (quotes, backslashes, control characters, non-ASCII, long): the same bytes as pino, valid JSON', () => {
  const paths = ['/bkt/a"b', '/bkt/a\\b', '/bkt/tab\there', '/bkt/nl\nx', '/bkt/\u0001', '/bkt/ünï', '/bkt/\u00ff\u0080', '/bkt/\u2028', `/bkt/${'x'.repeat(300)}`, '/bkt/%22%5C', '/bkt/(a)+b=c@d'];
  for (const path of paths) {
    const e = { ...BASE, path, query: `q=${path}` };
    const line = accessLine(e, T, PID);
    assert.equal(line, pinoLine(e, T), path);
    assert.equal((JSON.parse(line) as { path: string }).path, path);
  }
});

test('numbers as JSON writes them: NaN and infinities as null, like pino', () => {
  const e = { ...BASE, bytesIn: Number.NaN, upstreamMs: Number.POSITIVE_INFINITY, ms: 0, bytesOut: 0 };
  assert.equal(accessLine(e, T, PID), pinoLine(e, T));
});

test('a lone surrogate is escaped, so the line stays valid JSON and round-trips', () => {
  const e = { ...BASE, block: '/a\ud800b/' };
  const line = accessLine(e, T, PID);
  assert.match(line, /"block":"\/a\\ud800b\/"/);
  assert.equal((JSON.parse(line) as { block: string }).block, '/a\ud800b/');
});

test('property: for any strings and numbers the line parses back to the entry, and equals pino\'s wherever pino writes valid JSON', () => {
  const text = fc.string({ unit: 'binary', maxLength: 120 });
  const optText = fc.option(text, { nil: undefined });
  const n = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
  fc.assert(
    fc.property(text, optText, text, text, optText, n, fc.option(n, { nil: undefined }), n, optText, (reqId, block, method, path, query, status, bytesIn, ms, error) => {
      const e: AccessEntry = { ...BASE, reqId, block, method, path, query, status, bytesIn, ms, error };
      const line = accessLine(e, T, PID);
      const parsed = JSON.parse(line) as Record<string, unknown>;
      for (const [k, v] of Object.entries(e)) if (v !== undefined) assert.deepEqual(parsed[k], Object.is(v, -0) ? 0 : v, k);
      const hasLoneSurrogate = [reqId, block ?? '', method, path, query ?? '', error ?? ''].some((s) => LONE_SURROGATE.test(s));
      if (!hasLoneSurrogate) assert.equal(line, pinoLine(e, T));
    }),
    { numRuns: 300 },
  );
});

test('level: lines are written at info, debug and trace, not at warn, error, fatal or silent; a reload can change it', () => {
  const lines: string[] = [];
  const log = new AccessLog('info', { write: (s: string) => lines.push(s) }, () => T, PID);
  log.write(BASE);
  assert.equal(lines.length, 1);
  assert.equal(lines[0], pinoLine(BASE, T), 'uses the injected clock and pid');
  for (const [level, writes] of [['debug', true], ['trace', true], ['warn', false], ['error', false], ['fatal', false], ['silent', false], ['info', true]] as const) {
    log.level = level;
    assert.equal(log.level, level);
    const before: number = lines.length;
    log.write(BASE);
    assert.equal(lines.length - before, writes ? 1 : 0, level);
  }
});
