import { pino } from 'pino';
import { isoTimeAt } from './iso-time.js';

/** One finished exchange, as its access-log line shows it (README "Operations → Logs"). */
export interface AccessEntry {
  readonly reqId: string;
  readonly block: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly query: string | undefined;
  readonly status: number;
  readonly bytesIn: number | undefined;
  readonly bytesOut: number;
  readonly upstreamStatus: number | undefined;
  readonly upstreamMs: number | undefined;
  readonly ms: number;
  readonly credentials: string | undefined;
  readonly error: string | undefined;
  readonly denied: string | undefined;
  readonly aborted: true | undefined;
}

/** Characters JSON.stringify would escape (RFC 8259 §7), lone surrogates included. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON string literal: a plain value (nearly all of them) without going through JSON.stringify. */
const str = (v: string): string => (NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`);

/** A JSON number as JSON.stringify writes it (`null` for NaN and the infinities). */
const num = (v: number): string => (Number.isFinite(v) ? String(v) : 'null');

/**
 * The access line, byte for byte what pino wrote for it before (level, time, pid, the fields in
 * order, undefined ones left out, msg; checked against pino in test/unit/log/access-line) — except
 * that a lone surrogate is escaped as JSON.stringify does, where pino wrote it raw. Built
 * by hand because it is written once per request, and pino's generic serialisation took more than
 * twice the time and a large share of a small request's allocations (bench/NOTES.md).
 */
export function accessLine(e: AccessEntry, timeMs: number, pid: number): string {
  let s = `{"level":"info"${isoTimeAt(timeMs)},"pid":${pid},"reqId":${str(e.reqId)}`;
  if (e.block !== undefined) s += `,"block":${str(e.block)}`;
  s += `,"method":${str(e.method)},"path":${str(e.path)}`;
  if (e.query !== undefined) s += `,"query":${str(e.query)}`;
  s += `,"status":${num(e.status)}`;
  if (e.bytesIn !== undefined) s += `,"bytesIn":${num(e.bytesIn)}`;
  s += `,"bytesOut":${num(e.bytesOut)}`;
  if (e.upstreamStatus !== undefined) s += `,"upstreamStatus":${num(e.upstreamStatus)}`;
  if (e.upstreamMs !== undefined) s += `,"upstreamMs":${num(e.upstreamMs)}`;
  s += `,"ms":${num(e.ms)}`;
  if (e.credentials !== undefined) s += `,"credentials":${str(e.credentials)}`;
  if (e.error !== undefined) s += `,"error":${str(e.error)}`;
  if (e.denied !== undefined) s += `,"denied":${str(e.denied)}`;
  if (e.aborted) s += ',"aborted":true';
  return `${s},"msg":"request"}\n`;
}

/** pino's level numbers (`silent` is not among them: it lets nothing through). */
const levelValue = (level: string): number => pino.levels.values[level] ?? Number.POSITIVE_INFINITY;
const INFO = levelValue('info');

/** The access log: one line per finished request, to a batching destination. */
export class AccessLog {
  #enabled = true;
  #level = 'info';

  constructor(
    level: string,
    private readonly out: { write(line: string): unknown },
    private readonly clock: () => number = Date.now,
    private readonly pid: number = process.pid,
  ) {
    this.level = level;
  }

  /** The log level (`log.level`); a reload sets it. Access lines need `info` or below. */
  get level(): string {
    return this.#level;
  }

  set level(level: string) {
    this.#level = level;
    this.#enabled = levelValue(level) <= INFO;
  }

  write(entry: AccessEntry): void {
    if (this.#enabled) this.out.write(accessLine(entry, this.clock(), this.pid));
  }
}
