import { LRUCache } from 'lru-cache';

/** Keys marked until an instant, at most `max` of them (the least recently marked go first). */
export class KeysUntil {
  readonly #until: LRUCache<string, number>;

  constructor(max = 10_000) {
    this.#until = new LRUCache({ max });
  }

  /** Whether `key` is still marked at `now`. */
  has(key: string, now: number): boolean {
    const until = this.#until.get(key);
    return until !== undefined && now < until;
  }

  mark(key: string, until: number): void {
    this.#until.set(key, until);
  }
}
