/**
 * SigV4A's aws-chunked chain (x-amz-content-sha256: STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD), as
 * aws-c-auth signs it (source/aws_signing.c; tests/test_chunked_signing.c): each chunk's string to
 * sign is
 *
 *   "AWS4-ECDSA-P256-SHA256-PAYLOAD" \n amz-date \n yyyymmdd/service/aws4_request \n
 *   previous-signature \n sha256("") \n sha256(chunk-data)
 *
 * and its signature an ECDSA P-256 one (DER, hex) over it, written on the wire padded with `*` to
 * 144 characters. The chain (previous-signature) uses signatures without their padding; the
 * first chains from the request's own signature.
 */
import type { KeyObject } from 'node:crypto';
import { chunkSignatureDoesNotMatch, ecdsaVerifies } from './compare-signature.js';
import { EMPTY_SHA256 } from './sha256.js';

export interface EcdsaChunkContext {
  publicKey: KeyObject;
  amzDate: string;
  scope: string;
  seedSignature: string;
}

export const ECDSA_CHUNK_SIGNATURE_LENGTH = 144;

export function ecdsaChunkStringToSign(ctx: Pick<EcdsaChunkContext, 'amzDate' | 'scope'>, previousSignature: string, chunkSha256: string): string {
  return ['AWS4-ECDSA-P256-SHA256-PAYLOAD', ctx.amzDate, ctx.scope, previousSignature, EMPTY_SHA256, chunkSha256].join('\n');
}

/** The claimed chunk signature checked; returns it without its padding (what the next chunk chains from). */
export function checkEcdsaChunk(ctx: EcdsaChunkContext, previous: string, chunkSha256: string, claimed: string, chunkIndex: number): string {
  const signature = /^((?:[0-9a-f]{2})+)\**$/.exec(claimed)?.[1];
  const sts = ecdsaChunkStringToSign(ctx, previous, chunkSha256);
  if (signature === undefined || claimed.length !== ECDSA_CHUNK_SIGNATURE_LENGTH || !ecdsaVerifies(ctx.publicKey, sts, signature)) {
    throw chunkSignatureDoesNotMatch(sts, claimed, chunkIndex);
  }
  return signature;
}
