import { writeSync } from 'node:fs';

export interface LineBatcherOptions {
  /**
   * Characters per write at most (the lines are ASCII but for rare raw UTF-8 in paths, so about
   * bytes). 4096 is PIPE_BUF: a write of up to that many bytes to a pipe is atomic, so cluster
   * workers sharing standard output never split each other's lines. A longer line goes alone.
   */
  readonly batchLength: number;
  /** A held line is written at the latest this many ms later. */
  readonly flushMs: number;
  /** How long a full pipe may block the process in all, per batch, before the batch is dropped. */
  readonly maxBlockMs?: number;
  /** Told once when writing fails for good (EPIPE, EBADF, …); lines are dropped from then on. */
  readonly onFatal?: (err: NodeJS.ErrnoException) => void;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number): void => void Atomics.wait(sleeper, 0, 0, ms);

/**
 * Access lines batched into one synchronous write(2) of whole lines, up to 4 KiB. Why not
 * SonicBoom (pino's destination, used before): it measures every line with `Buffer.byteLength` as
 * it arrives, which flattens the line and scans it, and keeps a second string of the batch: work
 * on every request that this writer skips (bench/NOTES.md). Here a line is appended to the batch (a
 * rope V8 flattens once, at the write) and counted in characters.
 *
 * What SonicBoom's synchronous mode did and this keeps: a short write goes on from where it
 * stopped; EAGAIN (standard output a non-blocking pipe whose reader is behind) waits and retries —
 * in 10 ms steps instead of 100 — for up to `maxBlockMs`, then drops that batch rather than
 * stalling the proxy for good. Unlike SonicBoom, which emitted 'error' (fatal without a listener),
 * a reader that has gone away (EPIPE) stops the access log, once reported, and the proxy goes on.
 */
export class LineBatcher {
  #batch = '';
  #dead = false;
  readonly #fd: number;
  readonly #max: number;
  readonly #maxBlockMs: number;
  readonly #onFatal: ((err: NodeJS.ErrnoException) => void) | undefined;
  readonly #timer: NodeJS.Timeout;

  constructor(fd: number, o: LineBatcherOptions) {
    this.#fd = fd;
    this.#max = o.batchLength;
    this.#maxBlockMs = o.maxBlockMs ?? 10_000;
    this.#onFatal = o.onFatal;
    this.#timer = setInterval(() => this.flushSync(), o.flushMs);
    this.#timer.unref();
  }

  write(line: string): boolean {
    if (this.#dead) return false;
    if (this.#batch.length + line.length > this.#max) this.flushSync();
    this.#batch += line;
    if (this.#batch.length >= this.#max) this.flushSync();
    return true;
  }

  /** Writes what is held, now. */
  flushSync(): void {
    if (this.#batch === '' || this.#dead) return;
    const data = this.#batch;
    this.#batch = '';
    this.#writeAll(data);
  }

  /** The last flush; no timer after it. */
  end(): void {
    this.flushSync();
    clearInterval(this.#timer);
  }

  #writeAll(data: string): void {
    let rest: Buffer | undefined;
    let blockedMs = 0;
    for (;;) {
      try {
        if (rest === undefined) {
          const n = writeSync(this.#fd, data);
          // A flat string now (written once); its byte length is a quick scan.
          const size = Buffer.byteLength(data);
          if (n === size) return;
          rest = Buffer.from(data).subarray(n);
        } else {
          rest = rest.subarray(writeSync(this.#fd, rest));
          if (rest.length === 0) return;
        }
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'EAGAIN' || err.code === 'EBUSY') {
          if (blockedMs >= this.#maxBlockMs) return; // this batch is dropped
          sleep(10);
          blockedMs += 10;
          continue;
        }
        this.#dead = true;
        clearInterval(this.#timer);
        this.#onFatal?.(err);
        return;
      }
    }
  }
}
