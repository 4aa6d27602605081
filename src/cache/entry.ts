/**
 * What the cache keeps for one key: the store's answer (status and the headers to replay) with
 * its body, and when it was stored and stops being fresh. Plain JSON-able data and a Buffer, so
 * the disk store can keep it as cacache metadata and content.
 */
export interface EntryMeta {
  /** 200 for an object or one slice of it; 404 for a kept "no such key". */
  readonly status: number;
  /** The store's response headers to replay (lower-case names, hop-by-hop and framing removed). */
  readonly headers: Readonly<Record<string, string>>;
  readonly etag: string | undefined;
  /** The whole object's size (a slice's body is part of it). */
  readonly objectSize: number;
  /** Epoch milliseconds (the injected clock). */
  readonly storedAt: number;
  readonly freshUntil: number;
  /** The store's error code for a kept error (NoSuchKey). */
  readonly code?: string;
}

export interface Entry {
  readonly meta: EntryMeta;
  readonly body: Buffer;
}

/** A second tier below memory (disk-store.ts): survives restarts, bounded by bytes. */
export interface EntryStore {
  /** The entry, or undefined when there is none or it failed its integrity check (then it is removed). */
  get(key: string): Promise<Entry | undefined>;
  /** Never rejects: a store that cannot write (disk full, read-only) logs once and keeps nothing. */
  put(key: string, entry: Entry): Promise<void>;
  delete(key: string): Promise<void>;
  /** Drops every key that starts with `prefix`; how many were dropped. */
  deletePrefix(prefix: string): Promise<number>;
  stats(): { readonly entries: number; readonly bytes: number; readonly maxBytes: number };
  close(): Promise<void>;
}
