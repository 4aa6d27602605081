/**
 * A body being filled from the store while viewers read it (read-while-write). Its size is known
 * before the first byte (the store's Content-Length, already checked against the fill's limit), so
 * the bytes go into one buffer of that size as they arrive: readers take views of what is in, each
 * at its own position — a slow reader never holds up the fill or the others — and the complete
 * body is that buffer, with no copy at the end and nothing kept twice.
 */
export class GrowingBody {
  readonly #buf: Buffer;
  #length = 0;
  #done = false;
  #error: Error | undefined;
  readonly #listeners = new Set<() => void>();

  constructor(size: number) {
    this.#buf = Buffer.allocUnsafe(size);
  }

  get size(): number {
    return this.#buf.length;
  }
  get length(): number {
    return this.#length;
  }
  get done(): boolean {
    return this.#done;
  }
  /** Set when the fill broke: what was read so far must never be served as complete. */
  get error(): Error | undefined {
    return this.#error;
  }

  /** Appends a chunk; false (and nothing kept) when it would pass the declared size. */
  append(chunk: Buffer): boolean {
    if (this.#length + chunk.length > this.#buf.length) return false;
    chunk.copy(this.#buf, this.#length);
    this.#length += chunk.length;
    this.#notify();
    return true;
  }

  finish(): void {
    this.#done = true;
    this.#notify();
  }

  fail(err: Error): void {
    if (this.#done || this.#error) return;
    this.#error = err;
    this.#notify();
  }

  /** Called on every append, the end and a failure, until unsubscribed. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #notify(): void {
    for (const l of this.#listeners) l();
  }

  /** A view of the bytes [from, to) held so far (no copy); empty when none are in yet. */
  slice(from: number, to: number): Buffer {
    const end = Math.min(to, this.#length);
    return from >= end ? EMPTY : this.#buf.subarray(from, end);
  }

  /** The whole body, once done. */
  whole(): Buffer {
    return this.#buf;
  }
}

const EMPTY = Buffer.alloc(0);
