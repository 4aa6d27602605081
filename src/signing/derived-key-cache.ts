import { createHash } from 'node:crypto';
import type { Credentials } from './types.js';

/**
 * Keys derived from credentials (SigV4's per-scope signing keys, SigV4A's key pairs), each derived
 * once. Held under a SHA-256 fingerprint of the access key id and secret plus the caller's scope
 * — never the secret itself, so a heap dump of the keys reveals nothing; fingerprints are
 * memoised per credentials object. The oldest entry goes once `max` are held (Map keeps insertion
 * order), so keys of past dates and rotated credentials age out.
 */
export class DerivedKeyCache<K> {
  readonly #keys = new Map<string, K>();
  readonly #fingerprints = new WeakMap<Credentials, string>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  get(credentials: Credentials, secretAccessKey: string, scope: string, derive: () => K): K {
    let fingerprint = this.#fingerprints.get(credentials);
    if (fingerprint === undefined) {
      fingerprint = createHash('sha256').update(credentials.accessKeyId).update('\0').update(secretAccessKey).digest('base64');
      this.#fingerprints.set(credentials, fingerprint);
    }
    const cacheKey = `${fingerprint}${scope}`;
    let key = this.#keys.get(cacheKey);
    if (key === undefined) {
      key = derive();
      if (this.#keys.size >= this.#max) {
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
