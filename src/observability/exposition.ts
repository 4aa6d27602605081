/**
 * Reads back the Prometheus text the admin listener serves (this process's registry, or the
 * primary's aggregate of every worker's): the status page is built from it, so it shows the
 * same numbers as /metrics in both modes. Lenient: a line it cannot read is skipped.
 */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

const unescape = (v: string): string => v.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));

function number(text: string): number {
  if (/^\+?inf$/i.test(text)) return Infinity;
  if (/^-inf$/i.test(text)) return -Infinity;
  return Number(text);
}

export function readExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = unescape(l[2]!);
    out.push({ name: m[1]!, labels, value: number(m[3]!) });
  }
  return out;
}

/** The samples of one metric, grouped by the value of one label. */
export function byLabel(samples: readonly Sample[], name: string, label: string): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>();
  for (const s of samples) {
    if (s.name !== name) continue;
    const key = s.labels[label] ?? '';
    const list = out.get(key);
    if (list) list.push(s);
    else out.set(key, [s]);
  }
  return out;
}

/**
 * A quantile from cumulative histogram buckets, interpolated within the bucket the way PromQL's
 * histogram_quantile does. Undefined when nothing was observed.
 */
export function quantile(q: number, buckets: ReadonlyArray<{ le: number; count: number }>): number | undefined {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total === 0) return undefined;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of sorted) {
    if (b.count >= rank) {
      // The +Inf bucket has no upper bound: answer the highest finite one, as Prometheus does.
      if (b.le === Infinity) return prevLe;
      return prevLe + ((b.le - prevLe) * (rank - prevCount)) / Math.max(b.count - prevCount, Number.MIN_VALUE);
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}
