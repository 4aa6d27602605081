/**
 * Where a listing of a block goes on, in terms of keys relative to its keyPrefix, without a name a
 * nested block hides (README "Listing a block like a bucket"). A ListObjectsV2 continuation token
 * is the proxy's own: the store's can carry the last key it listed (MinIO and the strict origin
 * write it there), hidden ones included.
 */
const TOKEN = 'os1.';

/** The token a viewer sends back to go on after `after`. */
export const continuationToken = (after: string): string => TOKEN + Buffer.from(after, 'utf8').toString('base64url');

/** Where a token given by this proxy goes on after, or undefined: it is not one. */
export function afterToken(token: string): string | undefined {
  if (!token.startsWith(TOKEN)) return undefined;
  const after = Buffer.from(token.slice(TOKEN.length), 'base64url').toString('utf8');
  return continuationToken(after) === token ? after : undefined;
}

/**
 * A point in the listing moved past a hidden prefix it falls in: the prefix followed by U+10FFFF,
 * the highest code point — past every key under the prefix, before every key that is not. So a
 * page never depends on a hidden name (a start-after just before one would reveal it, a character
 * at a time).
 */
export function pastHidden(after: string, hidden: readonly string[]): string {
  const h = hidden.find((p) => after.startsWith(p));
  return h === undefined ? after : `${h}\u{10FFFF}`;
}
