import type { Credentials, UriRule } from '../types.js';
import { credentialScope } from './string-to-sign.js';
import { SigningKeyCache, deriveSigningKey } from './signing-key.js';

/** What a block signs for: fixed per upstream, so computed once. */
export interface V4Context {
  readonly region: string;
  readonly service: string;
  readonly uriRule: UriRule;
  /** Shared cache of derived keys; without one every call derives afresh. */
  readonly keyCache?: SigningKeyCache;
}

export interface ScopedKey {
  readonly scope: string;
  readonly key: Buffer;
}

/**
 * The credential scope and signing key for a request made on `dateStamp`. A pre-derived key
 * (`signingKey` + `keyScope`) is used with its own scope: it can only sign requests of its date,
 * which is why start-up and `check` warn when that date is not today.
 */
export function scopedKey(credentials: Credentials, ctx: V4Context, dateStamp: string): ScopedKey {
  if (credentials.signingKey !== undefined && credentials.keyScope !== undefined) {
    return { scope: credentials.keyScope, key: credentials.signingKey };
  }
  const secret = credentials.secretAccessKey;
  if (secret === undefined) throw new Error(`credentials ${credentials.accessKeyId} have neither a secret nor a signing key`);
  const scope = credentialScope(dateStamp, ctx.region, ctx.service);
  const key = ctx.keyCache
    ? ctx.keyCache.get(credentials, secret, dateStamp, ctx.region, ctx.service)
    : deriveSigningKey(secret, dateStamp, ctx.region, ctx.service);
  return { scope, key };
}
