import { createHash } from 'node:crypto';
import type { Credentials } from '../types.js';
import { deriveV4aKeyPair, type V4aKeyPair } from './key-derivation.js';

/**
 * SigV4A keys depend on the credentials alone (no date, region or service), so one derivation —
 * an HMAC and a point multiplication — serves every request they sign. Cached under a SHA-256
 * fingerprint of the access key id and secret, never the secret itself (as SigningKeyCache does);
 * fingerprints are memoised per credentials object. Rotated credentials get a new entry and the
 * oldest entry goes once `max` are held.
 */
export class V4aKeyCache {
  readonly #keys = new Map<string, V4aKeyPair>();
  readonly #fingerprints = new WeakMap<Credentials, string>();
  readonly #max: number;

  constructor(max = 64) {
    this.#max = max;
  }

  get(credentials: Credentials, secretAccessKey: string): V4aKeyPair {
    let fingerprint = this.#fingerprints.get(credentials);
    if (fingerprint === undefined) {
      fingerprint = createHash('sha256').update(credentials.accessKeyId).update('\0').update(secretAccessKey).digest('base64');
      this.#fingerprints.set(credentials, fingerprint);
    }
    let pair = this.#keys.get(fingerprint);
    if (pair === undefined) {
      pair = deriveV4aKeyPair(credentials.accessKeyId, secretAccessKey);
      if (this.#keys.size >= this.#max) {
        const oldest = this.#keys.keys().next().value;
        if (oldest !== undefined) this.#keys.delete(oldest);
      }
      this.#keys.set(fingerprint, pair);
    }
    return pair;
  }

  get size(): number {
    return this.#keys.size;
  }
}
