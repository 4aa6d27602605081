import { createHash } from 'node:crypto';
import { hmacSha256 } from '../hash.js';
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

/**
 * Derived keys are valid for a whole day, so four HMACs per request are wasted work. The cache key
 * is a SHA-256 fingerprint of the credentials plus the scope — never the secret itself, so a heap
 * dump of the cache's keys reveals nothing. Fingerprints are memoised per credentials object.
 */
export class SigningKeyCache {
  readonly #keys = new Map<string, Buffer>();
  readonly #fingerprints = new WeakMap<Credentials, string>();
  readonly #max: number;

  constructor(max = 256) {
    this.#max = max;
  }

  get(credentials: Credentials, secretAccessKey: string, dateStamp: string, region: string, service: string): Buffer {
    let fingerprint = this.#fingerprints.get(credentials);
    if (fingerprint === undefined) {
      fingerprint = createHash('sha256').update(credentials.accessKeyId).update('\0').update(secretAccessKey).digest('base64');
      this.#fingerprints.set(credentials, fingerprint);
    }
    const cacheKey = `${fingerprint}/${dateStamp}/${region}/${service}`;
    let key = this.#keys.get(cacheKey);
    if (key === undefined) {
      key = deriveSigningKey(secretAccessKey, dateStamp, region, service);
      if (this.#keys.size >= this.#max) {
        // Oldest first: Map keeps insertion order. Keys of past dates age out this way.
        const oldest = this.#keys.keys().next().value;
        if (oldest !== undefined) this.#keys.delete(oldest);
      }
      this.#keys.set(cacheKey, key);
    }
    return key;
  }

  get size(): number {
    return this.#keys.size;
  }
}
