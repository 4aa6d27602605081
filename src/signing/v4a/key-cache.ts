import { DerivedKeyCache } from '../derived-key-cache.js';
import type { Credentials } from '../types.js';
import { deriveV4aKeyPair, type V4aKeyPair } from './key-derivation.js';

/**
 * SigV4A keys depend on the credentials alone (no date, region or service), so one derivation —
 * an HMAC and a point multiplication — serves every request they sign.
 */
export class V4aKeyCache {
  readonly #keys: DerivedKeyCache<V4aKeyPair>;

  constructor(max = 64) {
    this.#keys = new DerivedKeyCache(max);
  }

  get(credentials: Credentials, secretAccessKey: string): V4aKeyPair {
    return this.#keys.get(credentials, secretAccessKey, '', () => deriveV4aKeyPair(credentials.accessKeyId, secretAccessKey));
  }

  get size(): number {
    return this.#keys.size;
  }
}
