// The cache bench's report (bench/results/cache-latest.md): the measurements of every target side
// by side, then issue #18's targets with the references' values next to origin-signer's.
import { cpus, loadavg } from 'node:os';
import { median } from './harness.js';
import { version } from './targets.js';

export type TargetId = 'nginx' | 'ats' | 'floor' | 'signer';
export interface Measured {
  /** `${target}|${measure}` → one value per repetition. */
  samples: Map<string, number[]>;
  /** `${target}|${what}` → text (the last repetition's). */
  notes: Map<string, string>;
  seconds: number;
  reps: number;
  viewers: number;
  memory: { maxSize: number; maxObjectSize: number };
  smallMemory: { maxSize: number; maxObjectSize: number };
  /** The 1-minute load average when the run started (the machine may be shared). */
  loadAtStart: number;
}

const MiB = 1024 * 1024;
// Issue #18's targets.
const TARGET = { cpuVsFloor: 1.0, mibVsNginx: 0.8, collapseGets: 1, lastVsAlone: 1.5, rangeSlices: 2, rssOverStoreMiB: 160 };
const NAMES: Record<TargetId, string> = { nginx: 'nginx proxy_cache', ats: 'Traffic Server cache', floor: 'Node buffer floor', signer: 'origin-signer' };
const CACHES: TargetId[] = ['nginx', 'ats', 'signer'];

export function renderReport(m: Measured): string {
  const all = (t: TargetId, what: string): number[] => m.samples.get(`${t}|${what}`) ?? [];
  const med = (t: TargetId, what: string): number => median(all(t, what));
  const max = (t: TargetId, what: string): number => Math.max(...all(t, what));
  const min = (t: TargetId, what: string): number => Math.min(...all(t, what));
  const sum = (t: TargetId, what: string): number => all(t, what).reduce((a, b) => a + b, 0);
  const list = (t: TargetId, what: string, digits = 0): string => all(t, what).map((v) => v.toFixed(digits)).join(', ');
  const x = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
  const yes = (ok: boolean): string => (ok ? 'yes' : '**no**');
  const xCache = m.notes.get('signer|x-cache') ?? '';
  const serving = /HIT/i.test(xCache);

  const hotRows: [string, string, (v: number) => string][] = [
    ['hot 1 KiB req/s (64 conn)', 'small req/s', (v) => v.toFixed(0)],
    ['CPU µs per hot 1 KiB request', 'small cpu/req', (v) => v.toFixed(1)],
    ['p99 ms, hot 1 KiB (64 conn)', 'small p99', (v) => v.toFixed(2)],
    ['hot 1 MiB MB/s (16 conn)', 'mib MB/s', (v) => v.toFixed(0)],
    ['CPU s per GB, hot 1 MiB', 'mib cpu/GB', (v) => v.toFixed(3)],
  ];
  const targets: TargetId[] = ['nginx', 'ats', 'floor', 'signer'];
  const hotTable = [
    `| measure | ${targets.map((t) => NAMES[t]).join(' | ')} | origin-signer ÷ Node buffer floor | origin-signer ÷ nginx proxy_cache |`,
    `|---|${targets.map(() => '---:').join('|')}|---:|---:|`,
    ...hotRows.map(([label, what, f]) => `| ${label} | ${targets.map((t) => f(med(t, what))).join(' | ')} | ${x(med('signer', what), med('floor', what))} | ${x(med('signer', what), med('nginx', what))} |`),
    `| origin requests during the measured hot runs (all) | ${targets.map((t) => (t === 'floor' ? '—' : String(sum(t, 'small origin') + sum(t, 'mib origin')))).join(' | ')} | | |`,
    `| peak RSS MiB, hot 1 KiB / hot 1 MiB load | ${targets.map((t) => `${max(t, 'small rss').toFixed(0)} / ${max(t, 'mib rss').toFixed(0)}`).join(' | ')} | | |`,
  ];

  const lastVsAlone = (t: TargetId): number => med(t, 'collapse last s') / med(t, 'solo s');
  const coldRows: [string, (t: TargetId) => string][] = [
    [`origin GETs of a cold 100 MiB object, ${m.viewers} viewers at once (each repetition)`, (t) => list(t, 'collapse origin GETs')],
    [`viewers with the whole, byte-identical body (each repetition)`, (t) => list(t, 'collapse complete')],
    [`last of the ${m.viewers} viewers done, s`, (t) => med(t, 'collapse last s').toFixed(2)],
    [`slowest first byte of the ${m.viewers}, ms`, (t) => med(t, 'collapse first byte ms').toFixed(0)],
    ['one viewer alone on a cold 100 MiB object, s', (t) => med(t, 'solo s').toFixed(2)],
    [`last of ${m.viewers} ÷ one alone`, (t) => `${lastVsAlone(t).toFixed(1)}×`],
    [`the same ${m.viewers} viewers once the object is hot, s (first repetition)`, (t) => med(t, 'hot viewers s').toFixed(2)],
    [`cold ${m.viewers} ÷ hot ${m.viewers} (what the miss and the collapse add)`, (t) => `${(med(t, 'collapse last s') / med(t, 'hot viewers s')).toFixed(2)}×`],
    [`X-Cache of the ${m.viewers} (last repetition)`, (t) => m.notes.get(`${t}|collapse x-cache`) ?? ''],
    ['`Range: bytes=-1048576`, cold 1 GiB object: origin requests / MiB (each repetition)', (t) => `${list(t, 'range requests')} / ${list(t, 'range MiB', 1)}`],
    ['ranges the origin was asked for (last repetition)', (t) => `\`${m.notes.get(`${t}|range origin`) ?? ''}\``],
    ['the same Range again: origin requests (each repetition)', (t) => list(t, 'range again requests')],
    ['206 with the right bytes, first / again (each repetition)', (t) => `${list(t, 'range complete')} / ${list(t, 'range again complete')}`],
  ];
  const coldTable = [`| measure | ${CACHES.map((t) => NAMES[t]).join(' | ')} |`, `|---|${CACHES.map(() => '---:').join('|')}|`, ...coldRows.map(([label, f]) => `| ${label} | ${CACHES.map(f).join(' | ')} |`)];

  const rssLimit = m.smallMemory.maxSize / MiB + TARGET.rssOverStoreMiB;
  const setTable = [
    `| origin-signer, memory store ${m.smallMemory.maxSize / MiB} MiB; 192 × 1 MiB objects at random, 16 conn | each repetition |`,
    '|---|---:|',
    `| peak RSS MiB (fresh process, whole life) | ${list('signer', 'hot set rss')} |`,
    `| MB/s | ${list('signer', 'hot set MB/s')} |`,
    `| origin GETs per request (evictions refilled) | ${list('signer', 'hot set origin per req', 2)} |`,
  ];

  const cpuRatio = (t: TargetId): number => med(t, 'small cpu/req') / med('floor', 'small cpu/req');
  const mibRatio = (t: TargetId): number => med(t, 'mib MB/s') / med('nginx', 'mib MB/s');
  const rangeOk = (t: TargetId): boolean => max(t, 'range requests') <= TARGET.rangeSlices && max(t, 'range MiB') <= TARGET.rangeSlices;
  const goals: [string, (t: TargetId) => string, (t: TargetId) => boolean][] = [
    [`CPU per hot 1 KiB request ≤ ${TARGET.cpuVsFloor.toFixed(1)}× the Node buffer floor's`, (t) => `${cpuRatio(t).toFixed(2)}×`, (t) => cpuRatio(t) <= TARGET.cpuVsFloor],
    [`hot 1 MiB MB/s ≥ ${TARGET.mibVsNginx}× nginx proxy_cache's`, (t) => `${mibRatio(t).toFixed(2)}×`, (t) => mibRatio(t) >= TARGET.mibVsNginx],
    [`exactly ${TARGET.collapseGets} origin GET per cold 100 MiB object, ${m.viewers} viewers (every repetition)`, (t) => `${min(t, 'collapse origin GETs')}–${max(t, 'collapse origin GETs')}`, (t) => min(t, 'collapse origin GETs') === 1 && max(t, 'collapse origin GETs') === 1],
    [`all ${m.viewers} bodies byte-identical (every repetition)`, (t) => `${min(t, 'collapse complete')}/${m.viewers}`, (t) => min(t, 'collapse complete') === m.viewers],
    [`last viewer done ≤ ${TARGET.lastVsAlone}× one viewer alone on a cold object`, (t) => `${lastVsAlone(t).toFixed(1)}×`, (t) => lastVsAlone(t) <= TARGET.lastVsAlone],
    [`suffix Range on a cold 1 GiB object: ≤ ${TARGET.rangeSlices} slices (requests, MiB) reach the origin`, (t) => `${max(t, 'range requests')}, ${max(t, 'range MiB').toFixed(1)} MiB`, rangeOk],
  ];
  const goalTable = [
    `| target (issue #18) | ${CACHES.map((t) => NAMES[t]).join(' | ')} | origin-signer met |`,
    `|---|${CACHES.map(() => '---:').join('|')}|:---:|`,
    ...goals.map(([label, value, ok]) => `| ${label} | ${CACHES.map((t) => `${value(t)}${t === 'signer' ? '' : ` (${ok(t) ? 'yes' : 'no'})`}`).join(' | ')} | ${serving ? yes(ok('signer')) : 'pending'} |`),
    `| peak RSS under a hot set 3× the store ≤ memory.maxSize + ${TARGET.rssOverStoreMiB} MiB (${rssLimit} MiB) | — | — | ${max('signer', 'hot set rss').toFixed(0)} MiB | ${serving ? yes(max('signer', 'hot set rss') <= rssLimit) : 'pending'} |`,
  ];

  const gb = (m.viewers * 100 * MiB) / 1e9;
  const remarks = [
    `- **nginx proxy_cache** does not sign (like the proxy bench's nginx proxy_pass) and serves hits from files in its cache folder (the page cache) with sendfile; its CPU is its worker's (the cache manager and loader processes, idle here, are left out). With proxy_cache_lock the waiting viewers look at the cache every 500 ms (nginx's fixed wait) and start only once the whole object is in it — no read-while-write: their slowest first byte was ${med('nginx', 'collapse first byte ms').toFixed(0)} ms. Past proxy_cache_lock_timeout (5 s) the waiters would go to the origin themselves, uncached. For a suffix Range the slice module cannot know the object's size, so it fetches slice 0 first, then the last one: \`${m.notes.get('nginx|range origin') ?? ''}\`.`,
    `- **Traffic Server** signs (s3_auth) and sends no X-Cache. Its waiting viewers read while the first one writes (open_write_fail_action 5, read-while-writer). A Range on a miss goes to the origin as it came and is not kept (range.write 0, the default; Debian's 9.2 has cache_range_requests.so but no slice.so), so the same Range again reaches the origin again. Its CPU counts all its threads (net, cache, AIO).`,
    `- **Node buffer floor** reads each object from the origin's folder once, then answers with the Buffer: no origin, no rules, no log.`,
    `- **origin-signer** has two blocks on the bucket: \`/p/\` keeps whole objects, \`/s/\` has \`slice: 1MiB\` for the Range scenario (on a sliced block every read is served from slices, so the 100 MiB object would be 100 ranged GETs, not one). A cold suffix Range there costs a 1-byte probe for the object's size and the slice: \`${m.notes.get('signer|range origin') ?? ''}\`.`,
    `- **The 1.5× target** compares ${m.viewers} viewers with one, but the ${m.viewers} receive ${gb.toFixed(0)} GB over loopback on 2 cores: every target, references included, needs many times one viewer's time for that alone (the row "once the object is hot"). "cold ÷ hot" is what the miss and the collapse themselves add.`,
  ];
  const when = new Date().toISOString();
  return [
    `# origin-signer cache benchmark — ${when}`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, nginx ${version('nginx', ['-v'], /nginx\/(\S+)/)}, Traffic Server ${version('traffic_server', ['-V'], /Traffic Server (\S+)/)};`,
    `caches pinned to core 0; the origin, wrk and the viewers to core 1; ${m.reps} interleaved repetitions of ${m.seconds} s per hot load after a warm-up, medians;`,
    `load average (1 min) ${m.loadAtStart.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end (the bench itself keeps up to 2 cores busy; more means other work shared them — compare ratios within the run).`,
    `origin-signer and Traffic Server: memory store / RAM cache ${m.memory.maxSize / MiB} MiB, objects up to ${m.memory.maxObjectSize / MiB} MiB; every cache keeps an answer 1 h; Range requests in 1 MiB slices (origin-signer, nginx).`,
    ...(serving ? [] : ['', `**origin-signer's cache is not serving** (a hot request came back without \`X-Cache: HIT\`: "${xCache}"): its figures are those of the uncached proxy; its targets are pending.`]),
    '',
    ...hotTable,
    '',
    ...coldTable,
    '',
    ...setTable,
    '',
    ...goalTable,
    '',
    ...remarks,
    '',
  ].join('\n');
}
