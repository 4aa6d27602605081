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
export type StartFor = (name: string) => Promise<Started & { base: string }>;

type Fresh = { startRss: number; peak: number; seconds: number };
/** A warmed process's download: its RSS before, and its peak during the download (reset just before). */
type Warmed = { before: number; peak: number };

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
  for (let rep = 0; rep < reps; rep++) {
    for (const [who, start] of targets) {
      for (const { obj, label, bytes } of OBJECTS) {
        const p = await start(`single-${obj}-${rep}`);
        const startRss = rssMiB(p.pid);
        const seconds = await download(p.base + obj, bytes);
        const peak = peakRssMiB(p.pid);
        p.stop();
        await waitGone(p.pid);
        append(fresh, `${who}|${obj}`, { startRss, peak, seconds });
        process.stderr.write(`single ${rep + 1}/${reps} ${label} fresh ${who.padEnd(13)}: RSS after start ${startRss.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB, ${seconds.toFixed(2)} s\n`);

        const w = await start(`warmed-${obj}-${rep}`);
        await wrk(w.base + 'small', 4, warmSeconds);
        await sleep(1500); // background compilation finishes
        const before = rssMiB(w.pid);
        resetPeakRss(w.pid);
        await download(w.base + obj, bytes);
        const warmPeak = peakRssMiB(w.pid);
        w.stop();
        await waitGone(w.pid);
        append(warmed, `${who}|${obj}`, { before, peak: warmPeak });
        process.stderr.write(`single ${rep + 1}/${reps} ${label} warmed ${who.padEnd(12)}: RSS before ${before.toFixed(0)} MiB, peak ${warmPeak.toFixed(0)} MiB\n`);
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
