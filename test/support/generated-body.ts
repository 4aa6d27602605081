// Deterministic pseudo-random bodies for upload and download tests, and hashing what streams:
// the AES-256-CTR keystream of a seed, produced one chunk at a time when the consumer asks, so a
// 1 GiB body is never in memory; the same seed always gives the same bytes.
import { createCipheriv, createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MiB } from './sizes.js';

function keystream(seed: string): ReturnType<typeof createCipheriv> {
  const key = createHash('sha256').update(`key:${seed}`).digest();
  const iv = createHash('sha256').update(`iv:${seed}`).digest().subarray(0, 16);
  return createCipheriv('aes-256-ctr', key, iv);
}

/** `size` bytes of `seed` as a stream of `chunk`-byte pieces (backpressure); every hash in `hashes` sees every byte. */
export function generatedBody(size: number, seed: string, o: { hashes?: readonly Hash[]; chunk?: number } = {}): Readable {
  const chunk = o.chunk ?? MiB;
  const cipher = keystream(seed);
  const zeros = Buffer.alloc(chunk);
  let left = size;
  return new Readable({
    highWaterMark: chunk,
    read() {
      if (left === 0) {
        this.push(null);
        return;
      }
      const n = Math.min(chunk, left);
      left -= n;
      const out = cipher.update(zeros.subarray(0, n));
      for (const h of o.hashes ?? []) h.update(out);
      this.push(out);
    },
  });
}

/** The bytes generatedBody(size, seed) produces, as one Buffer (for small bodies only). */
export function generatedBytes(size: number, seed: string): Buffer {
  return keystream(seed).update(Buffer.alloc(size));
}

/** A pass-through that hashes (SHA-256) and counts what flows through it. */
export class HashTap extends Transform {
  readonly #hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    this.#hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }
  digest(): string {
    return this.#hash.digest('hex');
  }
}

/** SHA-256 (hex) of a body already in memory. */
export const sha256Hex = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** MD5 (hex) of a body already in memory: S3's ETag of a single-part object, without its quotes. */
export const md5Hex = (b: Buffer | string): string => createHash('md5').update(b).digest('hex');

/** S3's ETag of an object uploaded in one piece: its MD5 in hex, quoted. */
export const etagOf = (b: Buffer | string): string => `"${md5Hex(b)}"`;

/** SHA-256 of a file, read as a stream. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: MiB }), hash);
  return hash.digest('hex');
}
