import type { Credentials, UriRule } from '../types.js';
import { deriveV4aKeyPair, type V4aKeyPair } from './key-derivation.js';
import type { V4aKeyCache } from './key-cache.js';

/** What a SigV4A block signs for: fixed per upstream. */
export interface V4aContext {
  /** The `X-Amz-Region-Set` value: `*`, or region names joined with `,` (`us-east-1,eu-west-1`). */
  readonly regionSet: string;
  readonly service: string;
  readonly uriRule: UriRule;
  /** Shared cache of derived key pairs; without one every call derives afresh. */
  readonly keyCache?: V4aKeyCache;
}

/**
 * The key pair that signs for these credentials. SigV4A needs the secret itself: a pre-derived
 * SigV4 signing key (an HMAC chain result) cannot give the ECDSA key, and `check` refuses that pair.
 */
export function v4aKeyPair(credentials: Credentials, ctx: V4aContext): V4aKeyPair {
  const secret = credentials.secretAccessKey;
  if (secret === undefined) throw new Error(`credentials ${credentials.accessKeyId} have no secret: SigV4A derives its key from the secret access key`);
  return ctx.keyCache ? ctx.keyCache.get(credentials, secret) : deriveV4aKeyPair(credentials.accessKeyId, secret);
}

/** Header names the v4a signer sets itself: a copy in the request would be signed twice. */
export const V4A_SIGNER_HEADERS: ReadonlySet<string> = new Set(['x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token', 'x-amz-region-set', 'authorization']);
