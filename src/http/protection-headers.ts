/**
 * Write headers that ask the store to protect the object: server-side encryption (SSE-S3, SSE-KMS,
 * SSE-C: `x-amz-server-side-encryption*`) and object lock (`x-amz-object-lock-*`) — S3 API
 * Reference, PutObject. Dropped, the object would be stored without the protection the viewer asked
 * for while the viewer is told it succeeded; forwarded unasked, a viewer could lock objects for
 * years. So a write carrying one the block's `signing.includeHeaders` does not name is refused —
 * but for encryption on a block that encrypts every object itself (`upstream.sse`), and SSE-S3
 * (`x-amz-server-side-encryption: AES256`), which names no key and is forwarded as asked.
 */
const ENCRYPTION = 'x-amz-server-side-encryption';
const LOCK = 'x-amz-object-lock-';

/** SSE-S3: the store's own keys, what S3 does to every new object since 2023; nothing of the viewer's choosing but "encrypted". */
export const SSE_S3: readonly [string, string] = [ENCRYPTION, 'AES256'];

export const asksForProtection = (name: string): boolean => name.startsWith(ENCRYPTION) || name.startsWith(LOCK);

/**
 * The first header of `headers` (names lower-case, as Node gives them) asking for protection that
 * the block neither forwards (`included`) nor gives itself (`blockEncrypts`: its own SSE replaces the viewer's).
 */
export function unforwardedProtection(headers: Readonly<Record<string, unknown>>, included: readonly string[], blockEncrypts: boolean): string | undefined {
  for (const name in headers) {
    if (!asksForProtection(name) || headers[name] === undefined || included.includes(name) || (name === SSE_S3[0] && headers[name] === SSE_S3[1])) continue;
    if (!(blockEncrypts && name.startsWith(ENCRYPTION))) return name;
  }
  return undefined;
}
