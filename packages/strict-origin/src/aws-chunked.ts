/**
 * aws-chunked decoding with per-chunk signature verification
 * (x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD; SigV4A's ECDSA chain, with its
 * STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, is ecdsa-chunk.ts's).
 *
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 *
 * Framing, per chunk:  hex(size) ";chunk-signature=" sig CRLF  data  CRLF
 * ending with a 0-size chunk. Each chunk's string to sign is
 *
 *   "AWS4-HMAC-SHA256-PAYLOAD" \n amz-date \n scope \n previous-signature \n
 *   sha256("") \n sha256(chunk-data)
 *
 * where the first previous-signature is the seed signature (the one in the
 * Authorization header). S3 also requires every chunk but the last data chunk
 * to be at least 8 KiB (InvalidChunkSizeError) and the decoded total to equal
 * x-amz-decoded-content-length.
 */
import { createHash, createHmac, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { checkEcdsaChunk, type EcdsaChunkContext } from './ecdsa-chunk.js';
import { chunkSignatureDoesNotMatch } from './compare-signature.js';
import { S3Error, incompleteBody } from './s3-errors.js';
import { EMPTY_SHA256, safeEqual } from './sha256.js';

export interface ChunkSigningContext {
  signingKey: Uint8Array;
  amzDate: string;
  scope: string;
  seedSignature: string;
}

export const MIN_CHUNK_SIZE = 8192;
const MAX_HEADER_LINE = 4096;

export function chunkStringToSign(ctx: Pick<ChunkSigningContext, 'amzDate' | 'scope'>, previousSignature: string, chunkSha256: string): string {
  return ['AWS4-HMAC-SHA256-PAYLOAD', ctx.amzDate, ctx.scope, previousSignature, EMPTY_SHA256, chunkSha256].join('\n');
}

export function chunkSignature(signingKey: Uint8Array, stringToSign: string): string {
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
}

type State = 'header' | 'data' | 'data-crlf' | 'done';

export interface AwsChunkedOptions {
  decodedLength: number;
  minChunkSize?: number;
}

/** A Transform from the framed request body to the object bytes; errors are S3Errors. */
export class AwsChunkedDecoder extends Transform {
  private state: State = 'header';
  private line: Buffer[] = [];
  private lineLength = 0;
  private remaining = 0;
  private chunkSize = 0;
  private claimed = '';
  private hash: Hash | undefined;
  private previous: string;
  private chunkIndex = 0;
  private lastDataChunkSize: number | undefined;
  private crlf: Buffer[] = [];
  decoded = 0;

  constructor(
    private readonly ctx: ChunkSigningContext | EcdsaChunkContext,
    private readonly opts: AwsChunkedOptions,
  ) {
    super();
    this.previous = ctx.seedSignature;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.consume(chunk);
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    if (this.state !== 'done') return cb(incompleteBody('The aws-chunked body ended before its final chunk.'));
    if (this.decoded !== this.opts.decodedLength) {
      return cb(incompleteBody(`The decoded body has ${this.decoded} bytes; x-amz-decoded-content-length says ${this.opts.decodedLength}.`));
    }
    cb();
  }

  private consume(buf: Buffer): void {
    let i = 0;
    while (i < buf.length) {
      switch (this.state) {
        case 'header': {
          const lf = buf.indexOf(0x0a, i);
          const end = lf < 0 ? buf.length : lf + 1;
          this.line.push(buf.subarray(i, end));
          this.lineLength += end - i;
          i = end;
          if (this.lineLength > MAX_HEADER_LINE) throw incompleteBody('An aws-chunked chunk header is too long.');
          if (lf >= 0) this.startChunk(Buffer.concat(this.line).toString('latin1'));
          break;
        }
        case 'data': {
          const n = Math.min(this.remaining, buf.length - i);
          const part = buf.subarray(i, i + n);
          this.hash?.update(part);
          this.push(part);
          this.remaining -= n;
          this.decoded += n;
          i += n;
          if (this.decoded > this.opts.decodedLength) {
            throw incompleteBody('The aws-chunked body is longer than x-amz-decoded-content-length.');
          }
          if (this.remaining === 0) this.endChunkData();
          break;
        }
        case 'data-crlf': {
          const need = 2 - this.crlf.reduce((s, b) => s + b.length, 0);
          const part = buf.subarray(i, i + need);
          this.crlf.push(part);
          i += part.length;
          const got = Buffer.concat(this.crlf);
          if (got.length === 2) {
            if (got.toString('latin1') !== '\r\n') throw incompleteBody('An aws-chunked chunk is not followed by CRLF.');
            this.crlf = [];
            this.state = this.chunkSize === 0 ? 'done' : 'header';
          }
          break;
        }
        case 'done':
          throw incompleteBody('Data follows the final aws-chunked chunk.');
      }
    }
  }

  private startChunk(lineText: string): void {
    this.line = [];
    this.lineLength = 0;
    const signature = 'publicKey' in this.ctx ? '[0-9a-f*]{144}' : '[0-9a-f]{64}';
    const m = new RegExp(`^([0-9a-fA-F]{1,15});chunk-signature=(${signature})\r\n$`).exec(lineText);
    if (!m) throw incompleteBody(`Malformed aws-chunked chunk header: ${JSON.stringify(lineText.slice(0, 120))}`);
    const size = parseInt(m[1] as string, 16);
    this.chunkIndex++;
    const min = this.opts.minChunkSize ?? MIN_CHUNK_SIZE;
    if (size > 0 && this.lastDataChunkSize !== undefined && this.lastDataChunkSize < min) {
      // The previous data chunk was short but was not the last one.
      throw new S3Error(403, 'InvalidChunkSizeError', `Only the last chunk is allowed to have a size less than ${min} bytes`, [
        ['Chunk', String(this.chunkIndex - 1)],
        ['BadChunkSize', String(this.lastDataChunkSize)],
      ]);
    }
    if (size > 0) this.lastDataChunkSize = size;
    this.chunkSize = size;
    this.remaining = size;
    this.claimed = m[2] as string;
    this.hash = createHash('sha256');
    this.state = 'data';
    if (size === 0) this.endChunkData();
  }

  private endChunkData(): void {
    const digest = (this.hash as Hash).digest('hex');
    if ('publicKey' in this.ctx) {
      this.previous = checkEcdsaChunk(this.ctx, this.previous, digest, this.claimed, this.chunkIndex);
      this.hash = undefined;
      this.state = 'data-crlf';
      return;
    }
    const sts = chunkStringToSign(this.ctx, this.previous, digest);
    const expected = chunkSignature(this.ctx.signingKey, sts);
    if (!safeEqual(expected, this.claimed)) {
      throw chunkSignatureDoesNotMatch(sts, this.claimed, this.chunkIndex);
    }
    this.previous = expected;
    this.hash = undefined;
    this.state = 'data-crlf';
  }
}
