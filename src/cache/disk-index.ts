/** What the disk store remembers of one key without reading the disk. */
export interface IndexedEntry {
  /** Bytes the entry counts against the store's bound (entryBytes). */
  readonly bytes: number;
  /** The content's cacache integrity; identical bodies share one. */
  readonly integrity: string;
  /** Epoch milliseconds of the last put or get (the injected clock). */
  readonly lastAccess: number;
}

/**
 * The disk store's in-memory view of its entries, least recently used first. A Map keeps its
 * insertion order, so moving a key to the end on each use makes the first key the LRU victim
 * without sorting. It also counts how many keys share each content, so a shared body is removed
 * only with its last key.
 */
export class DiskIndex {
  readonly #entries = new Map<string, IndexedEntry>();
  readonly #sharing = new Map<string, number>();
  #bytes = 0;

  get entries(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get(key: string): IndexedEntry | undefined {
    return this.#entries.get(key);
  }

  /** Adds or replaces the key, as the most recently used. */
  set(key: string, entry: IndexedEntry): void {
    this.remove(key);
    this.#entries.set(key, entry);
    this.#bytes += entry.bytes;
    this.#sharing.set(entry.integrity, (this.#sharing.get(entry.integrity) ?? 0) + 1);
  }

  /** Marks the key as just used. */
  touch(key: string, now: number): void {
    const entry = this.#entries.get(key);
    if (entry) this.set(key, { ...entry, lastAccess: now });
  }

  remove(key: string): IndexedEntry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
    const left = (this.#sharing.get(entry.integrity) ?? 1) - 1;
    if (left > 0) this.#sharing.set(entry.integrity, left);
    else this.#sharing.delete(entry.integrity);
    return entry;
  }

  /** The least recently used key and its entry. */
  oldest(): [string, IndexedEntry] | undefined {
    return this.#entries.entries().next().value;
  }

  /** Whether any key still uses this content. */
  references(integrity: string): boolean {
    return this.#sharing.has(integrity);
  }

  keys(): string[] {
    return [...this.#entries.keys()];
  }
}
