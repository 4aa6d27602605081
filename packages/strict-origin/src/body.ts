/**
 * Streams a request body to a temp file with backpressure, hashing as it goes
 * (MD5 for the ETag and Content-MD5, SHA-256 for x-amz-content-sha256), and
 * optionally decoding aws-chunked first. Nothing is held whole in memory.
 * On any failure the temp file is removed and an S3Error is thrown.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AwsChunkedDecoder, type ChunkSigningContext } from './aws-chunked.js';
import type { EcdsaChunkContext } from './ecdsa-chunk.js';
import { S3Error, incompleteBody } from './s3-errors.js';

export interface ReceiveOptions {
  /** Decode aws-chunked with these signing parameters. */
  chunked?: { ctx: ChunkSigningContext | EcdsaChunkContext; decodedLength: number } | undefined;
  /** Called with the number of raw (wire) bytes as they arrive. */
  onBytes?: (n: number) => void;
}

export interface Received {
  file: string;
  /** Decoded size (what is stored). */
  size: number;
  md5: Buffer;
  sha256Hex: string;
}

class Tap extends Transform {
  size = 0;
  constructor(
    private readonly hashes: Hash[],
    private readonly onBytes?: (n: number) => void,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    this.size += chunk.length;
    for (const h of this.hashes) h.update(chunk);
    this.onBytes?.(chunk.length);
    cb(null, chunk);
  }
}

export async function receiveToFile(src: Readable, file: string, opts: ReceiveOptions = {}): Promise<Received> {
  const md5 = createHash('md5');
  const sha = createHash('sha256');
  const wire = new Tap([], opts.onBytes);
  const decoded = new Tap([md5, sha]);
  const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream | NodeJS.ReadWriteStream> = [src, wire];
  if (opts.chunked) stages.push(new AwsChunkedDecoder(opts.chunked.ctx, { decodedLength: opts.chunked.decodedLength }));
  stages.push(decoded, createWriteStream(file));
  try {
    await (pipeline as (...s: unknown[]) => Promise<void>)(...stages);
  } catch (err) {
    await rm(file, { force: true });
    if (err instanceof S3Error) throw err;
    throw incompleteBody(`The request body could not be read: ${(err as Error).message}`);
  }
  return { file, size: decoded.size, md5: md5.digest(), sha256Hex: sha.digest('hex') };
}
