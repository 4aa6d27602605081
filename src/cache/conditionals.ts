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
    if (im.trim() !== '*' && !(strong && im.split(',').some((t) => t.trim() === v.etag))) return 'precondition-failed';
  } else {
    const ius = req['if-unmodified-since'];
    const since = ius === undefined ? NaN : Date.parse(ius);
    const modified = v.lastModified === undefined ? NaN : Date.parse(v.lastModified);
    if (!Number.isNaN(since) && !Number.isNaN(modified) && modified > since) return 'precondition-failed';
  }
  const inm = req['if-none-match'];
  if (inm !== undefined) {
    if (v.etag === undefined) return 'send';
    if (inm.trim() === '*') return 'not-modified';
    const want = weakless(v.etag);
    return inm.split(',').some((t) => weakless(t.trim()) === want) ? 'not-modified' : 'send';
  }
  const ims = req['if-modified-since'];
  if (ims !== undefined && v.lastModified !== undefined) {
    const since = Date.parse(ims);
    const modified = Date.parse(v.lastModified);
    if (!Number.isNaN(since) && !Number.isNaN(modified) && modified <= since) return 'not-modified';
  }
  return 'send';
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
