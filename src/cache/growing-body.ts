/**
 * A body being filled from the store while viewers read it (read-while-write): chunks are
 * appended as they arrive and kept, each reader has its own position, so a slow reader never
 * holds up the fill or the other readers. Bounded by the fill's size limit (memory.maxObjectSize
 * or one slice), checked before the fill starts.
 */
export class GrowingBody {
  readonly #chunks: Buffer[] = [];
  /** Byte offset of each chunk's first byte. */
  readonly #offsets: number[] = [];
  #length = 0;
  #done = false;
  #error: Error | undefined;
  readonly #listeners = new Set<() => void>();

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

  append(chunk: Buffer): void {
    this.#offsets.push(this.#length);
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    this.#notify();
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

  /** The bytes [from, to) held so far, as views of the chunks (no copy). */
  slice(from: number, to: number): Buffer[] {
    const end = Math.min(to, this.#length);
    if (from >= end) return [];
    let i = this.#chunkAt(from);
    const out: Buffer[] = [];
    for (let pos = from; pos < end; i++) {
      const chunk = this.#chunks[i]!;
      const base = this.#offsets[i]!;
      const piece = chunk.subarray(pos - base, Math.min(chunk.length, end - base));
      out.push(piece);
      pos += piece.length;
    }
    return out;
  }

  /** The whole body as one Buffer, once done. */
  concat(): Buffer {
    return this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#length);
  }

  #chunkAt(pos: number): number {
    let lo = 0;
    let hi = this.#offsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#offsets[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
