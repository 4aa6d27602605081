// cacache ships no types; this declares only the part of its public API the disk store uses.
declare module 'cacache' {
  /** One key's index line, as `ls` lists it. */
  export interface IndexEntry {
    readonly key: string;
    readonly integrity: string;
    readonly path: string;
    /** The content's size in bytes. */
    readonly size: number;
    /** Epoch milliseconds: the `time` given to `put`, else when it was put. */
    readonly time: number;
    readonly metadata: unknown;
  }

  export interface GetResult {
    readonly data: Buffer;
    readonly metadata: unknown;
    readonly integrity: string;
    readonly size: number;
  }

  export interface PutOptions {
    readonly metadata?: unknown;
    readonly algorithms?: readonly string[];
    readonly time?: number;
    readonly memoize?: boolean;
  }

  interface RemoveEntry {
    (cache: string, key: string, opts?: { readonly removeFully?: boolean }): Promise<unknown>;
    entry(cache: string, key: string, opts?: { readonly removeFully?: boolean }): Promise<unknown>;
    content(cache: string, integrity: string): Promise<boolean>;
  }

  interface Cacache {
    /** Rejects with code ENOENT (no entry or no content), EINTEGRITY or EBADSIZE (corrupt content). */
    get(cache: string, key: string, opts?: { readonly memoize?: boolean }): Promise<GetResult>;
    /** Resolves to the content's integrity as an ssri object (not a string), unused here. */
    put(cache: string, key: string, data: Buffer, opts?: PutOptions): Promise<unknown>;
    ls(cache: string): Promise<Record<string, IndexEntry>>;
    rm: RemoveEntry;
  }

  const cacache: Cacache;
  export default cacache;
}
