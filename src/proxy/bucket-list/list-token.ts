/**
 * Where a listing of a block goes on, in terms of keys relative to its keyPrefix, without a name a
 * nested block hides (README "Listing a block like a bucket"). A ListObjectsV2 continuation token
 * is the proxy's own: the store's can carry the last key it listed (MinIO and the strict origin
 * write it there), hidden ones included.
 */
const TOKEN = 'os1.';
const PAST = '.past';

/** S3's longest key, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;

/** A page goes on after `after`, or (`past`) after every key that starts with it. */
export interface ResumePoint {
  readonly after: string;
  readonly past: boolean;
}

/** The token a viewer sends back to go on from `p`. */
export const continuationToken = (p: ResumePoint): string => TOKEN + Buffer.from(p.after, 'utf8').toString('base64url') + (p.past ? PAST : '');

/** Where a token given by this proxy goes on from, or undefined: it is not one. */
export function resumeOf(token: string): ResumePoint | undefined {
  if (!token.startsWith(TOKEN)) return undefined;
  const past = token.endsWith(PAST);
  const after = Buffer.from(token.slice(TOKEN.length, past ? -PAST.length : undefined), 'base64url').toString('utf8');
  const p = { after, past };
  return continuationToken(p) === token ? p : undefined;
}

/** A point inside a hidden prefix is moved past the whole prefix. */
export function pastHidden(p: ResumePoint, hidden: readonly string[]): ResumePoint {
  const h = hidden.find((x) => p.after.startsWith(x));
  return h === undefined ? p : { after: h, past: true };
}

/**
 * The store's start-after for `p` (with `keyPrefix`), moved past hidden prefixes, so a page never
 * depends on a hidden name (a start-after just before one would reveal it, a character at a time).
 * Past every key under a prefix: the prefix followed by the greatest characters a key can have,
 * to S3's longest key — every key under it sorts before that, in UTF-8 bytes, and nothing else.
 */
export function storeStartAfter(p: ResumePoint, keyPrefix: string, hidden: readonly string[]): string {
  const { after, past } = pastHidden(p, hidden);
  let s = keyPrefix + after;
  if (!past) return s;
  let left = MAX_KEY_BYTES - Buffer.byteLength(s, 'utf8');
  for (; left >= 4; left -= 4) s += '\u{10FFFF}';
  if (left === 3) s += '\uFFFF';
  else if (left === 2) s += '\u07FF';
  else if (left === 1) s += '\u007F';
  return s;
}
