/** What the viewer's conditional headers make of a stored answer (RFC 9110 §13.2.2). */
export type ConditionalResult = 'send' | 'not-modified' | 'precondition-failed';

interface Validators {
  readonly etag: string | undefined;
  readonly lastModified: string | undefined;
}

const weakless = (tag: string): string => (tag.startsWith('W/') ? tag.slice(2) : tag);

/** RFC 9110 §8.8.3.2 weak comparison: the same opaque tag, either or both marked weak. */
export const weaklyEqual = (a: string, b: string): boolean => weakless(a) === weakless(b);

interface ConditionalHeaders {
  readonly 'if-match'?: string | undefined;
  readonly 'if-unmodified-since'?: string | undefined;
  readonly 'if-none-match'?: string | undefined;
  readonly 'if-modified-since'?: string | undefined;
}

/** An entity-tag list (If-Match, If-None-Match): its tags, `*` among them as written. */
const tagsIn = (list: string): string[] => list.split(',').map((t) => t.trim());

const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) (${MONTHS}) (\\d{4}) (\\d{2}):(\\d{2}):(\\d{2}) GMT$`);
const RFC850_DATE = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-(${MONTHS})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2}) GMT$`);
const ASCTIME_DATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (${MONTHS}) ( \\d|\\d{2}) (\\d{2}):(\\d{2}):(\\d{2}) (\\d{4})$`);

/**
 * A viewer's HTTP-date (RFC 9110 §5.6.7: IMF-fixdate, or the obsolete RFC 850 and asctime forms)
 * in epoch ms, or NaN. Not Date.parse, which reads "0", "2030" or an ISO date as a date: a value
 * that is not an HTTP-date must be ignored (§13.1.3, §13.1.4), as the store ignores it. `now`
 * (the shield's clock) places an RFC 850 two-digit year.
 */
export function httpDate(value: string, now: number): number {
  const v = value.trim();
  let m = IMF_FIXDATE.exec(v);
  if (m) return utc(Number(m[3]), m[2]!, Number(m[1]), m[4]!, m[5]!, m[6]!);
  m = RFC850_DATE.exec(v);
  if (m) {
    // A two-digit year more than 50 years ahead is the last such year in the past (§5.6.7).
    let year = 2000 + Number(m[3]);
    if (year > new Date(now).getUTCFullYear() + 50) year -= 100;
    return utc(year, m[2]!, Number(m[1]), m[4]!, m[5]!, m[6]!);
  }
  m = ASCTIME_DATE.exec(v);
  return m ? utc(Number(m[6]), m[1]!, Number(m[2]!.trim()), m[3]!, m[4]!, m[5]!) : NaN;
}

/** The instant, or NaN when a field is out of range (31 Feb, 25:00). */
function utc(year: number, month: string, day: number, h: string, min: string, sec: string): number {
  const mon = MONTHS.split('|').indexOf(month);
  const ms = Date.UTC(year, mon, day, Number(h), Number(min), Number(sec));
  const d = new Date(ms);
  const exact = d.getUTCFullYear() === year && d.getUTCMonth() === mon && d.getUTCDate() === day && d.getUTCHours() === Number(h) && d.getUTCMinutes() === Number(min) && d.getUTCSeconds() === Number(sec);
  return exact ? ms : NaN;
}

/** Whether the object was modified after `date` (a viewer's HTTP-date), or undefined when either date is missing or unreadable. */
function modifiedAfter(date: string | undefined, lastModified: string | undefined, now: number): boolean | undefined {
  const since = date === undefined ? NaN : httpDate(date, now);
  const modified = lastModified === undefined ? NaN : Date.parse(lastModified);
  return Number.isNaN(since) || Number.isNaN(modified) ? undefined : modified > since;
}

/**
 * In RFC 9110 §13.2.2's order: If-Match (strong comparison, `*` for any) and, only without it,
 * If-Unmodified-Since — 412 when they fail, as S3 answers (a resuming download must not get
 * another version's bytes); then If-None-Match (weak comparison) and, only without it,
 * If-Modified-Since — 304 for a GET or HEAD.
 */
export function evaluateConditionals(req: ConditionalHeaders, v: Validators, now: number): ConditionalResult {
  const im = req['if-match'];
  if (im !== undefined) {
    const strong = v.etag !== undefined && !v.etag.startsWith('W/');
    if (im.trim() !== '*' && !(strong && tagsIn(im).includes(v.etag))) return 'precondition-failed';
  } else if (modifiedAfter(req['if-unmodified-since'], v.lastModified, now) === true) return 'precondition-failed';
  const inm = req['if-none-match'];
  if (inm !== undefined) {
    if (v.etag === undefined) return 'send';
    if (inm.trim() === '*') return 'not-modified';
    const etag = v.etag;
    return tagsIn(inm).some((t) => weaklyEqual(t, etag)) ? 'not-modified' : 'send';
  }
  return modifiedAfter(req['if-modified-since'], v.lastModified, now) === false ? 'not-modified' : 'send';
}

/**
 * If-Range (§13.1.5): the Range applies only when the validator still matches — a strong ETag
 * equal to the stored one, or a date equal to Last-Modified; otherwise the whole object is sent.
 */
export function rangeApplies(ifRange: string | undefined, v: Validators, now: number): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return !value.startsWith('W/') && v.etag !== undefined && !v.etag.startsWith('W/') && value === v.etag;
  const date = httpDate(value, now);
  return v.lastModified !== undefined && !Number.isNaN(date) && date === Date.parse(v.lastModified);
}
