import { chunkSignature, chunkStringToSign } from './chunk-signature.js';

/**
 * Signs one aws-chunked chunk, chained from the previous signature (the seed signature for the
 * first chunk). `chain` is what the next chunk chains from, `wire` what its `chunk-signature=`
 * carries: the same for SigV4, padded for SigV4A (aws-c-auth pads ECDSA chunk signatures).
 */
export interface ChunkSigner {
  /** Characters of every `chunk-signature=` value on the wire, for the framed Content-Length. */
  readonly wireLength: number;
  sign(previous: string, chunkSha256: string): { readonly chain: string; readonly wire: string };
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
