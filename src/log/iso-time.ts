/**
 * pino's `isoTime` timestamp (`,"time":"2026-12-03T08:31:55.781Z"`) without a Date and an ISO
 * formatting per line: the part up to the second is kept while the second lasts, the milliseconds
 * appended. Every access-log line carries one, so this is on the hot path, where a Date and its
 * ISO formatting per line were a visible cost.
 */
let second = NaN;
let prefix = '';

/** The `time` field for the instant `ms` (milliseconds since the epoch, as Date.now()). */
export function isoTimeAt(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s !== second) {
    // "2026-12-03T08:31:55." — toISOString always has the milliseconds after position 20.
    prefix = new Date(s * 1000).toISOString().slice(0, 20);
    second = s;
  }
  const milli = ms - s * 1000;
  return `,"time":"${prefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z"`;
}

/** For pino's `timestamp` option. */
export const isoTime = (): string => isoTimeAt(Date.now());
