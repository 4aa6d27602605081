/** What the viewer's conditional headers make of a stored answer (RFC 9110 §13.2.2). */
export type ConditionalResult = 'send' | 'not-modified' | 'precondition-failed';

interface Validators {
  readonly etag: string | undefined;
  readonly lastModified: string | undefined;
}

const weakless = (tag: string): string => (tag.startsWith('W/') ? tag.slice(2) : tag);

interface ConditionalHeaders {
  readonly 'if-match'?: string | undefined;
  readonly 'if-unmodified-since'?: string | undefined;
  readonly 'if-none-match'?: string | undefined;
  readonly 'if-modified-since'?: string | undefined;
}

/** An entity-tag list (If-Match, If-None-Match): its tags, `*` among them as written. */
const tagsIn = (list: string): string[] => list.split(',').map((t) => t.trim());

/** Whether the object was modified after `date` (an HTTP date), or undefined when either date is missing or unreadable. */
function modifiedAfter(date: string | undefined, lastModified: string | undefined): boolean | undefined {
  const since = date === undefined ? NaN : Date.parse(date);
  const modified = lastModified === undefined ? NaN : Date.parse(lastModified);
  return Number.isNaN(since) || Number.isNaN(modified) ? undefined : modified > since;
}

/**
 * In RFC 9110 §13.2.2's order: If-Match (strong comparison, `*` for any) and, only without it,
 * If-Unmodified-Since — 412 when they fail, as S3 answers (a resuming download must not get
 * another version's bytes); then If-None-Match (weak comparison) and, only without it,
 * If-Modified-Since — 304 for a GET or HEAD.
 */
export function evaluateConditionals(req: ConditionalHeaders, v: Validators): ConditionalResult {
  const im = req['if-match'];
  if (im !== undefined) {
    const strong = v.etag !== undefined && !v.etag.startsWith('W/');
    if (im.trim() !== '*' && !(strong && tagsIn(im).includes(v.etag))) return 'precondition-failed';
  } else if (modifiedAfter(req['if-unmodified-since'], v.lastModified) === true) return 'precondition-failed';
  const inm = req['if-none-match'];
  if (inm !== undefined) {
    if (v.etag === undefined) return 'send';
    if (inm.trim() === '*') return 'not-modified';
    const want = weakless(v.etag);
    return tagsIn(inm).some((t) => weakless(t) === want) ? 'not-modified' : 'send';
  }
  return modifiedAfter(req['if-modified-since'], v.lastModified) === false ? 'not-modified' : 'send';
}

/**
 * If-Range (§13.1.5): the Range applies only when the validator still matches — a strong ETag
 * equal to the stored one, or a date equal to Last-Modified; otherwise the whole object is sent.
 */
export function rangeApplies(ifRange: string | undefined, v: Validators): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return !value.startsWith('W/') && v.etag !== undefined && !v.etag.startsWith('W/') && value === v.etag;
  return v.lastModified !== undefined && Date.parse(value) === Date.parse(v.lastModified) && !Number.isNaN(Date.parse(value));
}
