/**
 * S3 Express One Zone's append: a PutObject with `x-amz-write-offset-bytes` writes its body at that
 * offset of the existing object (S3 API Reference, PutObject; S3 User Guide, "Appending data to
 * objects in directory buckets"). Dropped, the append would replace the whole object with the
 * appended bytes alone while the viewer is told it succeeded; so a write carrying it is refused
 * unless the block's `signing.includeHeaders` names it, which forwards (and signs) it.
 */
export const WRITE_OFFSET = 'x-amz-write-offset-bytes';

/** Whether `headers` (names lower-case, as Node gives them) ask for an append the block does not forward. */
export const unforwardedAppend = (headers: Readonly<Record<string, unknown>>, included: readonly string[]): boolean =>
  headers[WRITE_OFFSET] !== undefined && !included.includes(WRITE_OFFSET);
