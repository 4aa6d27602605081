/**
 * Date formats used by S3 and HTTP.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 7231 §7.1.1.1 IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT". */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** ISO 8601 with milliseconds, as S3 writes LastModified in XML listings. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** ISO 8601 to the second, as S3 writes times in its errors (Expires, ServerTime) and session expirations. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function utc(y: number, mon: string, d: number, h: number, mi: number, s: number): number | undefined {
  const m = MONTHS.indexOf(mon);
  if (m < 0 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const ms = Date.UTC(y, m, d, h, mi, s);
  return new Date(ms).getUTCDate() === d ? ms : undefined;
}

/**
 * Parses an HTTP-date (RFC 7231 §7.1.1.1): IMF-fixdate, the obsolete RFC 850
 * form and asctime(). Returns ms since epoch or undefined when invalid — a
 * conditional header with an invalid date is ignored (RFC 7232 §3.3, §3.4).
 */
export function parseHttpDate(s: string): number | undefined {
  let m = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(s.trim());
  if (m) return utc(+m[3]!, m[2]!, +m[1]!, +m[4]!, +m[5]!, +m[6]!);
  m = /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(
    s.trim(),
  );
  if (m) {
    // RFC 7231: a two-digit year more than 50 years in the future is in the past century.
    const yy = +m[3]!;
    const nowYear = new Date().getUTCFullYear();
    let year = 2000 + yy;
    if (year > nowYear + 50) year -= 100;
    return utc(year, m[2]!, +m[1]!, +m[4]!, +m[5]!, +m[6]!);
  }
  m = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ( \d|\d{2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/.exec(s.trim());
  if (m) return utc(+m[6]!, m[1]!, +m[2]!.trim(), +m[3]!, +m[4]!, +m[5]!);
  return undefined;
}

/**
 * The Date header as SigV2 clients send it (RFC 2616 dates, but S3's own
 * examples use a numeric zone: "Tue, 27 Mar 2007 19:36:42 +0000").
 */
export function parseV2Date(s: string): number | undefined {
  const http = parseHttpDate(s);
  if (http !== undefined) return http;
  const m = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (GMT|UTC|UT|Z|[+-]\d{4})$/.exec(
    s.trim(),
  );
  if (!m) return undefined;
  const base = utc(+m[3]!, m[2]!, +m[1]!, +m[4]!, +m[5]!, +m[6]!);
  if (base === undefined) return undefined;
  const zone = m[7]!;
  if (!/^[+-]/.test(zone)) return base;
  const sign = zone[0] === '+' ? 1 : -1;
  const offsetMin = +zone.slice(1, 3) * 60 + +zone.slice(3, 5);
  return base - sign * offsetMin * 60_000;
}

/**
 * SigV4's ISO 8601 basic timestamp "YYYYMMDD'T'HHMMSS'Z'"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
 * Strict: anything else (or an impossible date) is undefined.
 */
export function parseAmzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return formatAmzDate(d) === s ? d : undefined;
}

export function formatAmzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}
