// A small parser for the Prometheus text exposition format (version 0.0.4), strict enough to fail
// on a malformed line, and helpers to read series from /metrics and /readyz of a running proxy.
import { request } from 'undici';
import { waitFor } from './wait-for.js';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  readonly samples: readonly Sample[];
  /** `# TYPE` per metric family. */
  readonly types: ReadonlyMap<string, string>;
  readonly help: ReadonlyMap<string, string>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A sample value as Prometheus reads it (Go's ParseFloat: `NaN`, `+Inf`, `-Inf`, case-insensitive). */
function parseValue(text: string, line: string): number {
  if (/^nan$/i.test(text)) return NaN;
  const inf = /^([+-]?)inf(inity)?$/i.exec(text);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad sample value ${JSON.stringify(text)} in: ${line}`);
  return Number(text);
}

/** `{a="x",b="y\"z"}` starting at `i` (the `{`); returns the labels and the index after `}`. */
function parseLabels(line: string, i: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let p = i + 1;
  for (;;) {
    while (line[p] === ' ') p++;
    if (line[p] === '}') return { labels, end: p + 1 };
    const eq = line.indexOf('=', p);
    if (eq === -1) throw new Error(`bad labels in: ${line}`);
    const name = line.slice(p, eq).trim();
    if (!LABEL.test(name)) throw new Error(`bad label name ${JSON.stringify(name)} in: ${line}`);
    if (line[eq + 1] !== '"') throw new Error(`unquoted label value in: ${line}`);
    let value = '';
    let q = eq + 2;
    for (;;) {
      const c = line[q];
      if (c === undefined) throw new Error(`unterminated label value in: ${line}`);
      if (c === '"') break;
      if (c === '\\') {
        const n = line[q + 1];
        if (n === 'n') value += '\n';
        else if (n === '\\' || n === '"') value += n;
        else throw new Error(`bad escape \\${n} in: ${line}`);
        q += 2;
        continue;
      }
      value += c;
      q++;
    }
    if (name in labels) throw new Error(`label ${name} repeated in: ${line}`);
    labels[name] = value;
    p = q + 1;
    while (line[p] === ' ') p++;
    if (line[p] === ',') p++;
    else if (line[p] !== '}') throw new Error(`expected , or } in: ${line}`);
  }
}

export function parsePrometheus(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) ([^ ]+) ?(.*)$/.exec(line);
      if (!m) continue; // a plain comment
      if (!NAME.test(m[2]!)) throw new Error(`bad metric name in: ${line}`);
      if (m[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(m[3]!)) throw new Error(`bad type in: ${line}`);
        types.set(m[2]!, m[3]!);
      } else help.set(m[2]!, m[3]!);
      continue;
    }
    const nameEnd = line.search(/[{ ]/);
    if (nameEnd <= 0) throw new Error(`bad sample line: ${line}`);
    const name = line.slice(0, nameEnd);
    if (!NAME.test(name)) throw new Error(`bad metric name ${JSON.stringify(name)} in: ${line}`);
    let labels: Record<string, string> = {};
    let rest = nameEnd;
    if (line[nameEnd] === '{') ({ labels, end: rest } = parseLabels(line, nameEnd));
    const parts = line.slice(rest).trim().split(/\s+/);
    if (parts.length < 1 || parts.length > 2 || parts[0] === '') throw new Error(`bad sample line: ${line}`);
    samples.push({ name, labels, value: parseValue(parts[0]!, line) });
  }
  return { samples, types, help };
}

const matches = (s: Sample, labels: Readonly<Record<string, string>>): boolean => Object.entries(labels).every(([k, v]) => s.labels[k] === v);

/** Every sample of `name` whose labels include `labels`. */
export function series(e: Exposition, name: string, labels: Readonly<Record<string, string>> = {}): Sample[] {
  return e.samples.filter((s) => s.name === name && matches(s, labels));
}

/** The one sample of `name` with `labels` (throws when there are several); undefined when none. */
export function value(e: Exposition, name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  const found = series(e, name, labels);
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}: ${JSON.stringify(found)}`);
  return found[0]?.value;
}

/** The sum over the samples of `name` that include `labels` (0 when none). */
export function sum(e: Exposition, name: string, labels: Readonly<Record<string, string>> = {}): number {
  return series(e, name, labels).reduce((a, s) => a + s.value, 0);
}

/** GET /metrics of an admin listener, parsed. */
export async function scrape(adminUrl: string): Promise<Exposition> {
  const res = await request(`${adminUrl}/metrics`);
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`/metrics answered ${res.statusCode}: ${text.slice(0, 300)}`);
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('text/plain')) throw new Error(`/metrics content-type ${type}`);
  return parsePrometheus(text);
}

export interface ReadyAnswer {
  readonly status: number;
  readonly body: { ready: boolean; checks: Record<string, { ok: boolean; detail?: string }> };
}

/** GET /readyz of an admin listener. */
export async function readyz(adminUrl: string): Promise<ReadyAnswer> {
  const res = await request(`${adminUrl}/readyz`);
  const text = await res.body.text();
  return { status: res.statusCode, body: JSON.parse(text) as ReadyAnswer['body'] };
}

/** GET /healthz of an admin listener: its status. */
export async function healthz(adminUrl: string): Promise<number> {
  const res = await request(`${adminUrl}/healthz`);
  await res.body.dump();
  return res.statusCode;
}

/** Polls `probe` every 100 ms until `done` holds for its result; throws after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  let last: T | undefined;
  const reached = await waitFor(async () => ((last = await probe()), done(last) ? { value: last } : undefined), what, timeoutMs, 100).catch((err: Error) => {
    throw new Error(`${err.message}; last: ${JSON.stringify(last).slice(0, 1500)}`);
  });
  return reached.value;
}
