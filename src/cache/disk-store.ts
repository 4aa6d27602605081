import { createHash } from 'node:crypto';
import cacache, { type GetResult, type IndexEntry } from 'cacache';
import type { Logger } from '../log/logger.js';
import { DiskIndex, type IndexedEntry } from './disk-index.js';
import type { Entry, EntryStore } from './entry.js';
import { parseEntryMeta } from './entry-meta.js';
import { KeyedLock } from './keyed-lock.js';
import { errorCode, writeWarning, type WriteWarning } from './write-warning.js';

export interface DiskStoreOptions {
  /** cacache's folder; created on the first put. */
  readonly path: string;
  /** The bound on entryBytes summed over the entries. */
  readonly maxBytes: number;
  readonly log: Pick<Logger, 'warn' | 'error'>;
  /** Epoch milliseconds; orders entries for eviction. */
  readonly clock: () => number;
  /** Called with how many entries one put (or open) evicted, for metrics. */
  readonly onEvict?: (n: number) => void;
}

/**
 * What one entry counts against maxBytes: its body and its index line's metadata and key, so that
 * many empty bodies (kept 404s) cannot fill the disk while counting as nothing.
 */
export function entryBytes(key: string, bodyBytes: number, meta: unknown): number {
  return bodyBytes + Buffer.byteLength(key) + Buffer.byteLength(JSON.stringify(meta) ?? '');
}

/** The integrity cacache gives a body with sha512, known before writing so the content's lock can be taken. */
function contentIntegrity(body: Buffer): string {
  return `sha512-${createHash('sha512').update(body).digest('base64')}`;
}

/** Read errors that mean the entry is damaged or gone, not that the disk is busy: the entry is dropped. */
const MISSING = new Set(['ENOENT', 'ENOTDIR']);
const CORRUPT = new Set(['EINTEGRITY', 'EBADSIZE']);

/**
 * Opens the disk tier at `path`: what an earlier process left there is indexed from cacache's
 * index (`ls`), so entries survive restarts. Never rejects for the disk's sake: a path that cannot
 * be read gives an empty store that warns once.
 */
export async function openDiskStore(options: DiskStoreOptions): Promise<EntryStore> {
  const warning = writeWarning(options.log, options.path);
  const store = new DiskStore(options, warning, await loadIndex(options.path, warning));
  await store.evictOverflow();
  return store;
}

async function loadIndex(path: string, warning: WriteWarning): Promise<DiskIndex> {
  const index = new DiskIndex();
  let listed: Record<string, IndexEntry>;
  try {
    listed = await cacache.ls(path);
  } catch (err) {
    warning.failed(err);
    return index;
  }
  // Oldest first, so the last one put is the last one evicted; gets are not remembered across restarts.
  for (const e of Object.values(listed).sort((a, b) => a.time - b.time)) {
    if (!Number.isSafeInteger(e.size) || typeof e.integrity !== 'string') continue;
    index.set(e.key, { bytes: entryBytes(e.key, e.size, e.metadata), integrity: e.integrity, lastAccess: e.time });
  }
  return index;
}

class DiskStore implements EntryStore {
  readonly #path: string;
  readonly #maxBytes: number;
  readonly #clock: () => number;
  readonly #onEvict: ((n: number) => void) | undefined;
  readonly #warning: WriteWarning;
  readonly #index: DiskIndex;
  readonly #keys = new KeyedLock();
  readonly #contents = new KeyedLock();
  readonly #running = new Set<Promise<unknown>>();
  #closed = false;

  constructor(options: DiskStoreOptions, warning: WriteWarning, index: DiskIndex) {
    this.#path = options.path;
    this.#maxBytes = options.maxBytes;
    this.#clock = options.clock;
    this.#onEvict = options.onEvict;
    this.#warning = warning;
    this.#index = index;
  }

  get(key: string): Promise<Entry | undefined> {
    return this.#track(undefined, () => this.#keys.run(key, () => this.#read(key)));
  }

  put(key: string, entry: Entry): Promise<void> {
    return this.#track(undefined, async () => {
      const bytes = entryBytes(key, entry.body.length, entry.meta);
      // Too big to keep: the older copy goes too, it is not what the store now has.
      if (bytes > this.#maxBytes) return this.delete(key);
      if (await this.#keys.run(key, () => this.#write(key, entry, bytes))) await this.evictOverflow();
    });
  }

  delete(key: string): Promise<void> {
    return this.#track(undefined, () => this.#keys.run(key, () => this.#drop(key)));
  }

  deletePrefix(prefix: string): Promise<number> {
    return this.#track(0, async () => {
      let dropped = 0;
      // One at a time: an invalidation of many keys must not open thousands of files at once.
      for (const key of this.#index.keys().filter((k) => k.startsWith(prefix))) {
        if (await this.#keys.run(key, () => this.#dropIfPresent(key))) dropped++;
      }
      return dropped;
    });
  }

  stats(): { entries: number; bytes: number; maxBytes: number } {
    return { entries: this.#index.entries, bytes: this.#index.bytes, maxBytes: this.#maxBytes };
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#running]);
  }

  /** Drops least recently used entries until the store is within maxBytes. */
  async evictOverflow(): Promise<void> {
    // Taken out of the index at once, so concurrent puts do not pick the same victims.
    const victims: [string, IndexedEntry][] = [];
    while (this.#index.bytes > this.#maxBytes) {
      const oldest = this.#index.oldest();
      if (!oldest) break;
      this.#index.remove(oldest[0]);
      victims.push(oldest);
    }
    if (victims.length === 0) return;
    this.#onEvict?.(victims.length);
    for (const [key, held] of victims) await this.#keys.run(key, () => this.#forget(key, held));
  }

  async #read(key: string): Promise<Entry | undefined> {
    const held = this.#index.get(key);
    if (!held) return undefined;
    let got: GetResult;
    try {
      got = await cacache.get(this.#path, key, { memoize: false });
    } catch (err) {
      const code = errorCode(err);
      // Damaged content is removed whoever shares it: every key using it would fail the same check.
      if (CORRUPT.has(code)) await this.#drop(key, true);
      else if (MISSING.has(code)) await this.#drop(key);
      return undefined;
    }
    const meta = parseEntryMeta(got.metadata);
    if (!meta) {
      await this.#drop(key);
      return undefined;
    }
    this.#index.touch(key, this.#clock());
    return { meta, body: got.data };
  }

  /** Replaces the key's entry; whether it was kept. Holds the key's lock. */
  async #write(key: string, entry: Entry, bytes: number): Promise<boolean> {
    const old = this.#index.remove(key);
    // Removing the old index line first keeps one line per key, however often it is refreshed.
    await this.#quietly(cacache.rm.entry(this.#path, key, { removeFully: true }));
    const integrity = contentIntegrity(entry.body);
    const lastAccess = this.#clock();
    let kept = false;
    try {
      await this.#contents.run(integrity, async () => {
        await cacache.put(this.#path, key, entry.body, { metadata: entry.meta, algorithms: ['sha512'], time: lastAccess, memoize: false });
        this.#index.set(key, { bytes, integrity, lastAccess });
      });
      this.#warning.succeeded();
      kept = true;
    } catch (err) {
      this.#warning.failed(err);
      // The content may be on disk without its index line: keep nothing.
      await this.#removeContent(integrity, false);
    }
    // After the write, so a refresh with the same body does not remove the content it is keeping.
    if (old) await this.#removeContent(old.integrity, false);
    return kept;
  }

  /** Removes the key from the index and the disk. Holds the key's lock. */
  async #drop(key: string, corrupt = false): Promise<void> {
    const held = this.#index.remove(key);
    await this.#quietly(cacache.rm.entry(this.#path, key, { removeFully: true }));
    if (held) await this.#removeContent(held.integrity, corrupt);
  }

  /** Whether the key was there to drop (another delete may have been first). Holds the key's lock. */
  async #dropIfPresent(key: string): Promise<boolean> {
    if (!this.#index.get(key)) return false;
    await this.#drop(key);
    return true;
  }

  /** Removes an evicted key from the disk, unless a put re-added it meanwhile. Holds the key's lock. */
  async #forget(key: string, held: IndexedEntry): Promise<void> {
    if (!this.#index.get(key)) await this.#quietly(cacache.rm.entry(this.#path, key, { removeFully: true }));
    await this.#removeContent(held.integrity, false);
  }

  /** Removes content no key uses any more (or damaged content, `always`), under the content's lock. */
  #removeContent(integrity: string, always: boolean): Promise<void> {
    return this.#contents.run(integrity, async () => {
      if (always || !this.#index.references(integrity)) await this.#quietly(cacache.rm.content(this.#path, integrity));
    });
  }

  /** A removal that fails is the disk failing, not the caller's problem: it warns (once) and moves on. */
  async #quietly(removal: Promise<unknown>): Promise<void> {
    try {
      await removal;
    } catch (err) {
      this.#warning.failed(err);
    }
  }

  /** Runs an operation unless closed, so close() can wait for every one under way. */
  #track<T>(whenClosed: T, operation: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.resolve(whenClosed);
    const running = operation();
    this.#running.add(running);
    const forget = (): void => void this.#running.delete(running);
    running.then(forget, forget);
    return running;
  }
}
