// The proxy benchmark's single downloads: one 1 MiB and one 1 GiB download, each through a fresh
// process (memory must not grow with object size), then the same through a process warmed first
// by a few seconds of 1 KiB load. A fresh process's first seconds of traffic hold one-time work
// whose memory lands in whichever download runs then (V8 optimizing undici's WebAssembly HTTP
// parser, bench/NOTES.md), not what the object's size costs: the warmed figures separate the two.
import { append, median, peakRssMiB, resetPeakRss, rssMiB, wrk } from './harness.js';
import { download, sleep, waitGone, type Started } from './targets.js';

const MiB = 1024 * 1024;
export const OBJECTS = [
  { obj: 'mib', label: '1 MiB', bytes: MiB },
  { obj: 'gib', label: '1 GiB', bytes: 1024 * MiB },
] as const;

/** A process to download through, and the URL its objects are under (ends in `/`). */
type Through = Started & { base: string };
export type StartFor = (name: string) => Promise<Through>;

type Fresh = { startRss: number; peak: number; seconds: number };
/** A warmed process's download: its RSS before, and its peak during the download (reset just before). */
type Warmed = { before: number; peak: number };

/** What a pass does to its fresh process before the download: a warm-up, and whether the peak is reset after it. */
type Pass = { warmUp?: (p: Through) => Promise<void>; resetPeak: boolean };

/** One download through a process started for it: its RSS just before, its peak after, the time; the process is gone on return. */
async function oneDownload(start: StartFor, name: string, obj: string, bytes: number, pass: Pass): Promise<{ rss: number; peak: number; seconds: number }> {
  const p = await start(name);
  if (pass.warmUp) await pass.warmUp(p);
  const rss = rssMiB(p.pid);
  if (pass.resetPeak) resetPeakRss(p.pid);
  const seconds = await download(p.base + obj, bytes);
  const peak = peakRssMiB(p.pid);
  p.stop();
  await waitGone(p.pid);
  return { rss, peak, seconds };
}

export interface SingleResults {
  /** Markdown tables: the fresh processes', then the warmed ones'. */
  readonly lines: string[];
  /** Per repetition, peak of the 1 GiB download − peak of the 1 MiB one, fresh processes. */
  freshGap(who: string): number[];
  /** Per repetition, growth during the 1 GiB download − growth during the 1 MiB one, warmed processes. */
  warmedGap(who: string): number[];
}

export async function singleDownloads(targets: ReadonlyMap<string, StartFor>, reps: number, warmSeconds: number): Promise<SingleResults> {
  const fresh = new Map<string, Fresh[]>(); // `${who}|${obj}`
  const warmed = new Map<string, Warmed[]>();
  const warm = async (p: Through): Promise<void> => {
    await wrk(p.base + 'small', 4, warmSeconds);
    await sleep(1500); // background compilation finishes
  };
  for (let rep = 0; rep < reps; rep++) {
    for (const [who, start] of targets) {
      for (const { obj, label, bytes } of OBJECTS) {
        // Fresh: the peak is the process's whole life, start-up included.
        const f = await oneDownload(start, `single-${obj}-${rep}`, obj, bytes, { resetPeak: false });
        append(fresh, `${who}|${obj}`, { startRss: f.rss, peak: f.peak, seconds: f.seconds });
        process.stderr.write(`single ${rep + 1}/${reps} ${label} fresh ${who.padEnd(13)}: RSS after start ${f.rss.toFixed(0)} MiB, peak ${f.peak.toFixed(0)} MiB, ${f.seconds.toFixed(2)} s\n`);

        const w = await oneDownload(start, `warmed-${obj}-${rep}`, obj, bytes, { warmUp: warm, resetPeak: true });
        append(warmed, `${who}|${obj}`, { before: w.rss, peak: w.peak });
        process.stderr.write(`single ${rep + 1}/${reps} ${label} warmed ${who.padEnd(12)}: RSS before ${w.rss.toFixed(0)} MiB, peak ${w.peak.toFixed(0)} MiB\n`);
      }
    }
  }

  const of = <T>(m: Map<string, T[]>, who: string, obj: string): T[] => m.get(`${who}|${obj}`) ?? [];
  const freshGap = (who: string): number[] => of(fresh, who, 'gib').map((g, i) => g.peak - of(fresh, who, 'mib')[i]!.peak);
  const growth = (who: string, obj: string): number[] => of(warmed, who, obj).map((w) => w.peak - w.before);
  const warmedGap = (who: string): number[] => growth(who, 'gib').map((g, i) => g - growth(who, 'mib')[i]!);
  const medOf = (who: string, obj: string, f: keyof Fresh): number => median(of(fresh, who, obj).map((v) => v[f]));
  const spread = (v: number[]): string => `${median(v).toFixed(1)}; ${Math.max(...v).toFixed(1)}`;
  const whos = [...targets.keys()];
  const lines = [
    `| one download, fresh process | RSS after start MiB | peak RSS MiB | seconds | peak 1 GiB − peak 1 MiB, MiB (median; largest) |`,
    `|---|---:|---:|---:|---:|`,
    ...whos.flatMap((who) =>
      OBJECTS.map(({ obj, label }) => `| ${who}, ${label} | ${medOf(who, obj, 'startRss').toFixed(0)} | ${medOf(who, obj, 'peak').toFixed(0)} | ${medOf(who, obj, 'seconds').toFixed(2)} | ${obj === 'gib' ? spread(freshGap(who)) : ''} |`),
    ),
    '',
    `| one download, process warmed by ${warmSeconds} s of 1 KiB load | RSS before the 1 GiB download, MiB | growth during 1 MiB, MiB | growth during 1 GiB, MiB (median; largest) |`,
    `|---|---:|---:|---:|`,
    ...whos.map((who) => `| ${who} | ${median(of(warmed, who, 'gib').map((w) => w.before)).toFixed(0)} | ${median(growth(who, 'mib')).toFixed(1)} | ${spread(growth(who, 'gib'))} |`),
  ];
  return { lines, freshGap, warmedGap };
}
