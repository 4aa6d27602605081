import { hmacSha256 } from '../hash.js';
import { DerivedKeyCache } from '../derived-key-cache.js';
import type { Credentials } from '../types.js';

/**
 * kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#derive-signing-key).
 */
export function deriveSigningKey(secretAccessKey: string, dateStamp: string, region: string, service: string): Buffer {
  const kDate = hmacSha256(`AWS4${secretAccessKey}`, dateStamp);
  const kRegion = hmacSha256(kDate, region);
  const kService = hmacSha256(kRegion, service);
  return hmacSha256(kService, 'aws4_request');
}

/** Derived keys are valid for a whole day, so four HMACs per request are wasted work: one per scope. */
export class SigningKeyCache {
  readonly #keys: DerivedKeyCache<Buffer>;

  constructor(max = 256) {
    this.#keys = new DerivedKeyCache(max);
  }

  get(credentials: Credentials, secretAccessKey: string, dateStamp: string, region: string, service: string): Buffer {
    return this.#keys.get(credentials, secretAccessKey, `/${dateStamp}/${region}/${service}`, () => deriveSigningKey(secretAccessKey, dateStamp, region, service));
  }

  get size(): number {
    return this.#keys.size;
  }
}
