import { z } from 'zod';

const SIZE_UNITS: Record<string, number> = { '': 1, B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 1024, MIB: 1024 ** 2, GIB: 1024 ** 3, TIB: 1024 ** 4 };

/** A byte count: a number, or text such as `512MiB`, `1GiB`, `100MB`. */
export const byteSize = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?\s*$/i.exec(v);
    return m ? Math.floor(Number(m[1]) * (SIZE_UNITS[(m[2] ?? '').toUpperCase()] ?? NaN)) : v;
  },
  z.number({ error: 'a size in bytes, or text like 512MiB / 1GiB' }).int().min(0),
);

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** A duration in seconds: a number, or text such as `500ms`, `2s`, `10m`, `1h`, `1d`. */
export const duration = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(v);
    return m ? Number(m[1]) * (DURATION_UNITS[m[2] ?? 's'] ?? NaN) : v;
  },
  z.number({ error: 'a duration: seconds, or text like 500ms / 2s / 10m / 1h / 1d' }).min(0),
);
