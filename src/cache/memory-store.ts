import { LRUCache } from 'lru-cache';
import type { Entry } from './entry.js';

/** Bytes an entry costs besides its body: its key, headers and bookkeeping, roughly. */
const OVERHEAD = 512;

export const entryCost = (key: string, e: Entry): number => e.body.length + key.length * 2 + OVERHEAD + JSON.stringify(e.meta.headers).length * 2;

/**
 * The memory tier: lru-cache bounded by bytes (memory.maxSize). Bytes held by fills in progress
 * are counted against the same bound (reserve), so memory stays under maxSize however many
 * objects are being filled: a reservation first evicts the least recently used entries.
 */
export class MemoryStore {
  readonly #lru: LRUCache<string, Entry>;
  readonly maxBytes: number;
  #reserved = 0;

  constructor(maxBytes: number, onEvict: () => void) {
    this.maxBytes = maxBytes;
    this.#lru = new LRUCache<string, Entry>({
      maxSize: maxBytes,
      sizeCalculation: (e, key) => Math.max(1, entryCost(key, e)),
      dispose: (_e, _k, reason) => {
        if (reason === 'evict') onEvict();
      },
    });
  }

  get(key: string): Entry | undefined {
    return this.#lru.get(key);
  }

  /** Kept only if it fits beside what fills hold; a larger entry is not kept at all. */
  set(key: string, e: Entry): void {
    const cost = entryCost(key, e);
    if (cost + this.#reserved > this.maxBytes) return;
    this.#makeRoom(cost);
    this.#lru.set(key, e);
  }

  delete(key: string): boolean {
    return this.#lru.delete(key);
  }

  /** Keys for which `match` holds, dropped; how many. */
  deleteWhere(match: (key: string) => boolean): number {
    let n = 0;
    for (const key of [...this.#lru.keys()]) if (match(key) && this.#lru.delete(key)) n++;
    return n;
  }

  /** Room for a fill of `bytes`: false when fills already hold too much. */
  reserve(bytes: number): boolean {
    if (bytes + this.#reserved > this.maxBytes) return false;
    this.#reserved += bytes;
    this.#makeRoom(0);
    return true;
  }

  release(bytes: number): void {
    this.#reserved -= bytes;
  }

  #makeRoom(extra: number): void {
    while (this.#lru.size > 0 && this.#lru.calculatedSize + this.#reserved + extra > this.maxBytes) this.#lru.pop();
  }

  stats(): { readonly entries: number; readonly bytes: number; readonly reserved: number; readonly maxBytes: number } {
    return { entries: this.#lru.size, bytes: this.#lru.calculatedSize, reserved: this.#reserved, maxBytes: this.maxBytes };
  }
}
