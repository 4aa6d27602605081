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
