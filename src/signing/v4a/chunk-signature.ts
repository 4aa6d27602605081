import type { KeyObject } from 'node:crypto';
import type { ChunkSigner } from '../chunk-signer.js';
import { chunkStringToSign } from '../v4/chunk-signature.js';
import { v4aSignature } from './signature.js';

/**
 * SigV4A's aws-chunked chain (`STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD`), as aws-c-auth signs it
 * (`source/aws_signing.c`; the AWS SDK for Java's CRT chunk signer uses it): SigV4's chunk string to
 * sign with the ECDSA algorithm and the region-less scope, each signature an ECDSA one over it.
 */
export const V4A_CHUNK_ALGORITHM = 'AWS4-ECDSA-P256-SHA256-PAYLOAD';

/**
 * A DER signature's hex length varies (at most 144: 72 bytes); on the wire every chunk signature
 * is padded with `*` to the longest, so the framed length is known before the body is signed. The
 * chain uses the signature without its padding.
 */
export const V4A_CHUNK_SIGNATURE_LENGTH = 144;

export const v4aChunkStringToSign = (amzDate: string, scope: string, previousSignature: string, chunkSha256: string): string =>
  chunkStringToSign(amzDate, scope, previousSignature, chunkSha256, V4A_CHUNK_ALGORITHM);

export function padV4aChunkSignature(signature: string): string {
  return signature.padEnd(V4A_CHUNK_SIGNATURE_LENGTH, '*');
}

/** The ECDSA chunk signer of a SigV4A upload; `scope` is `yyyymmdd/service/aws4_request`. */
export function ecdsaChunkSigner(privateKey: KeyObject, amzDate: string, scope: string): ChunkSigner {
  return {
    wireLength: V4A_CHUNK_SIGNATURE_LENGTH,
    sign(previous, chunkSha256) {
      const s = v4aSignature(privateKey, v4aChunkStringToSign(amzDate, scope, previous, chunkSha256));
      return { chain: s, wire: padV4aChunkSignature(s) };
    },
  };
}
