import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { chunkHeader } from './chunk-signature.js';
import type { ChunkSigner } from '../chunk-signer.js';

export interface ChunkedSigningContext {
  /** SigV4's HMAC chain or SigV4A's ECDSA one. */
  readonly signer: ChunkSigner;
  /** Signature of the request headers; the first chunk chains from it. */
  readonly seedSignature: string;
  /** Bytes per chunk; S3 requires at least 8 KiB for every chunk but the last. */
  readonly chunkSize: number;
}

/** S3's documented example uses 64 KiB chunks; it is also a good unit for socket writes. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

/**
 * Re-frames a body as aws-chunked data while it flows, signing each chunk as it goes: memory holds
 * at most one chunk, whatever the object size. The final empty chunk is written only when the
 * source ends normally — an upload cut short never looks complete to the store.
 */
export class AwsChunkedEncoder extends Transform {
  readonly #ctx: ChunkedSigningContext;
  #previous: string;
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  constructor(ctx: ChunkedSigningContext) {
    super({ highWaterMark: ctx.chunkSize });
    this.#ctx = ctx;
    this.#previous = ctx.seedSignature;
  }

  #emitChunk(data: Buffer): void {
    const hash = createHash('sha256').update(data).digest('hex');
    const signature = this.#ctx.signer.sign(this.#previous, hash);
    this.#previous = signature.chain;
    this.push(chunkHeader(data.length, signature.wire));
    if (data.length > 0) this.push(data);
    this.push('\r\n');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    const size = this.#ctx.chunkSize;
    if (this.#pendingBytes >= size) {
      let all = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending, this.#pendingBytes);
      while (all.length >= size) {
        this.#emitChunk(all.subarray(0, size));
        all = all.subarray(size);
      }
      this.#pending = all.length > 0 ? [all] : [];
      this.#pendingBytes = all.length;
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.#pendingBytes > 0) this.#emitChunk(Buffer.concat(this.#pending, this.#pendingBytes));
    this.#pending = [];
    this.#emitChunk(Buffer.alloc(0));
    callback();
  }
}
