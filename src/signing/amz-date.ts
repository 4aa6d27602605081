/**
 * Time formats used by the signers. Both take milliseconds since the epoch from an injected clock,
 * so nothing here reads the real time.
 */

let lastSecond = NaN;
let lastAmzDate = '';

/**
 * ISO 8601 basic format, `YYYYMMDDTHHMMSSZ`, as `x-amz-date` / `X-Amz-Date` want it. Every request
 * of the same second has the same one: the last is kept (a pure function of `ms`, memoised).
 */
export function toAmzDate(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second === lastSecond) return lastAmzDate;
  // toISOString: 2015-08-30T12:36:00.000Z → strip separators and milliseconds.
  const iso = new Date(ms).toISOString();
  lastAmzDate = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  lastSecond = second;
  return lastAmzDate;
}

/** RFC 7231 IMF-fixdate (`Sun, 30 Aug 2015 12:36:00 GMT`), the SigV2 date form. */
export function toHttpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
