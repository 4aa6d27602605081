import { EMPTY_SHA256, hmacSha256Hex } from '../hash.js';
import type { ChunkSigner } from '../chunk-signer.js';

/**
 * Signing a body in chunks (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html): every chunk's signature
 * chains from the previous one, the first from the seed signature of the request headers.
 */
export const CHUNK_ALGORITHM = 'AWS4-HMAC-SHA256-PAYLOAD';

/**
 * String to sign of one chunk: algorithm, date, scope, previous signature, hash of "", hash of the
 * chunk. SigV4A's chain is the same with its own algorithm (src/signing/v4a/chunk-signature.ts).
 */
export function chunkStringToSign(amzDate: string, scope: string, previousSignature: string, chunkSha256: string, algorithm = CHUNK_ALGORITHM): string {
  return `${algorithm}\n${amzDate}\n${scope}\n${previousSignature}\n${EMPTY_SHA256}\n${chunkSha256}`;
}

export function chunkSignature(signingKey: Uint8Array, stringToSign: string): string {
  return hmacSha256Hex(signingKey, stringToSign);
}

/** `hex(size);chunk-signature=<sig>\r\n` — the bytes before a chunk's data. */
export function chunkHeader(size: number, signature: string): string {
  return `${size.toString(16)};chunk-signature=${signature}\r\n`;
}

/** Bytes of one framed chunk carrying `size` data bytes: header, data, CRLF. */
function framedChunkLength(size: number, signatureLength: number): number {
  return size.toString(16).length + ';chunk-signature='.length + signatureLength + 2 + size + 2;
}

/**
 * The `Content-Length` of an aws-chunked body: every full chunk, the remainder, and the final
 * empty chunk. `x-amz-decoded-content-length` carries `decodedLength` itself. `signatureLength`:
 * 64 hex characters for SigV4, 144 for SigV4A's padded signatures.
 */
export function awsChunkedLength(decodedLength: number, chunkSize: number, signatureLength = 64): number {
  const full = Math.floor(decodedLength / chunkSize);
  const rest = decodedLength % chunkSize;
  const framed = (size: number): number => framedChunkLength(size, signatureLength);
  return full * framed(chunkSize) + (rest > 0 ? framed(rest) : 0) + framed(0);
}

/** SigV4's chunk signer: HMAC-SHA256 with the day's signing key (sigv4-streaming.html). */
export function hmacChunkSigner(signingKey: Uint8Array, amzDate: string, scope: string): ChunkSigner {
  return {
    wireLength: 64,
    sign(previous, chunkSha256) {
      const s = chunkSignature(signingKey, chunkStringToSign(amzDate, scope, previous, chunkSha256));
      return { chain: s, wire: s };
    },
  };
}
