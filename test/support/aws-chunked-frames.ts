// aws-chunked bodies as a viewer's SDK (or the hand signer) frames them, and the checksums of
// their trailers by AWS's own implementations: one framer for every test that builds such a body.
import { Crc32, Crc32c, Crc64Nvme } from '@aws-sdk/checksums/crc';
import { Sha1, Sha256 } from '@aws-sdk/checksums/sha';

/** `data` cut into chunks of `size` bytes (the last one shorter). */
export function chunksOf(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

/**
 * `chunks` framed as aws-chunked (S3 API Reference, "Signature calculation: transfer payload in
 * multiple chunks"): each non-empty one as its hex size, its chunk signature when `signatureOf`
 * gives one (called in order, the final empty chunk last), CRLF, the data, CRLF; then the final
 * empty chunk, `trailers` one line each, and the empty line.
 */
export function awsChunkedFrames(chunks: readonly Buffer[], o: { signatureOf?: (chunk: Buffer) => string; trailers?: readonly string[] } = {}): Buffer {
  const head = (c: Buffer): string => `${c.length.toString(16)}${o.signatureOf ? `;chunk-signature=${o.signatureOf(c)}` : ''}\r\n`;
  const parts = chunks.filter((c) => c.length > 0).flatMap((c) => [Buffer.from(head(c)), c, Buffer.from('\r\n')]);
  parts.push(Buffer.from(`${head(Buffer.alloc(0))}${(o.trailers ?? []).map((t) => `${t}\r\n`).join('')}\r\n`));
  return Buffer.concat(parts);
}

/** The base64 checksum S3 computes for `algorithm` (`CRC32`, `CRC32C`, `CRC64NVME`, `SHA1`, `SHA256`), by AWS's own implementations. */
export async function awsChecksum(algorithm: string, data: Buffer): Promise<string> {
  const C = { CRC32: Crc32, CRC32C: Crc32c, CRC64NVME: Crc64Nvme, SHA1: Sha1, SHA256: Sha256 }[algorithm.toUpperCase()];
  if (!C) throw new Error(`no checksum ${algorithm}`);
  const c = new C();
  c.update(data);
  return Buffer.from(await c.digest()).toString('base64');
}
