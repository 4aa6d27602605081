import { HOP_BY_HOP } from './hop-by-hop.js';

/**
 * Headers that never go upstream from a viewer, whatever `includeHeaders` says: the viewer's own
 * credentials and signing inputs (an aws-chunked upload's `x-amz-trailer` too: its framing comes
 * off), and hop-by-hop headers (RFC 9110 §7.6.1).
 */
export const NEVER_FORWARDED: ReadonlySet<string> = new Set([
  'authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-s3session-token', 'x-amz-content-sha256', 'x-amz-decoded-content-length',
  'x-amz-region-set', 'x-amz-trailer', 'host', 'expect', ...HOP_BY_HOP,
]);

/**
 * Headers that name another object for a write to read: `x-amz-copy-source` makes a PUT a
 * CopyObject or UploadPartCopy, `x-amz-rename-source` an S3 Express RenameObject (S3 API
 * Reference, CopyObject / UploadPartCopy / RenameObject). Forwarded, the source could lie outside
 * the block; dropped, the PUT would store an empty body over the key. A write that carries one is
 * refused, and `includeHeaders` cannot name one.
 */
export const SOURCE_OBJECT_HEADERS: readonly string[] = ['x-amz-copy-source', 'x-amz-rename-source'];

/** A header name that belongs to a source object (`x-amz-copy-source-range`, `x-amz-rename-source-if-match`, …). */
export const namesSourceObject = (name: string): boolean => SOURCE_OBJECT_HEADERS.some((h) => name === h || name.startsWith(`${h}-`));

/** The first header of `headers` (names lower-case, as Node gives them) that names a source object. */
export const sourceObjectHeaderIn = (headers: Readonly<Record<string, unknown>>): string | undefined => SOURCE_OBJECT_HEADERS.find((h) => headers[h] !== undefined);
