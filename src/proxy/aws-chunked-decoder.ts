import { Transform, type TransformCallback } from 'node:stream';
import { OriginSignerError } from '../errors.js';
import type { RunningChecksum } from './trailing-checksum.js';

/** A chunk-size line (hex size and extensions such as `;chunk-signature=<64 hex>`), its CRLF aside, is never longer. */
const MAX_LINE = 4096;
/** The trailer section (checksum, trailer signature) is a few lines. */
const MAX_TRAILERS = 16 * 1024;
const CHUNK_LINE = /^([0-9a-fA-F]{1,16})(;[\x21-\x7e]*)?$/;

export interface DecoderOptions {
  /** `x-amz-decoded-content-length`: exactly this many bytes must come out. */
  readonly decodedLength: number;
  /** `x-amz-trailer`: the checksum trailer to verify, and its running checksum. */
  readonly trailer?: { readonly name: string; readonly checksum: Promise<RunningChecksum> };
}

const framingError = (detail: string): OriginSignerError => new OriginSignerError('OS_ERR_BAD_AWS_CHUNKED', `the upload's aws-chunked body ${detail}`);

/**
 * Takes the aws-chunked framing off a viewer's upload (what the AWS SDKs send with trailing
 * checksums, and signed streaming uploads): chunk headers, the viewer's chunk signatures and the
 * trailers are dropped, the data flows on. The last piece of data is held back until the body
 * has ended, its length and its trailing checksum are checked: an upload that fails either never
 * reaches the store whole, so the store never keeps it (S3 API Reference, "Signature calculation:
 * transfer payload in multiple chunks"; S3 User Guide, "Checking object integrity").
 */
export class AwsChunkedDecoder extends Transform {
  readonly #o: DecoderOptions;
  #state: 'size' | 'data' | 'data-end' | 'trailers' | 'done' = 'size';
  #line = '';
  #left = 0;
  #out = 0;
  #held: Buffer | undefined;
  #trailerBytes = 0;
  readonly #trailers = new Map<string, string>();
  #checksum: RunningChecksum | undefined;
  #verified: string | undefined;

  constructor(o: DecoderOptions) {
    super();
    this.#o = o;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.#o.trailer && !this.#checksum) {
      this.#o.trailer.checksum.then((c) => {
        this.#checksum = c;
        this.#decode(chunk, done);
      }, done);
      return;
    }
    this.#decode(chunk, done);
  }

  #decode(chunk: Buffer, done: TransformCallback): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.#state === 'data') {
        const n = Math.min(this.#left, chunk.length - i);
        // Before anything is let through: all N declared bytes out, then more, and the store
        // would already have the whole (wrong) object.
        if (this.#out + n > this.#o.decodedLength) return done(framingError(`holds more than its x-amz-decoded-content-length (${this.#o.decodedLength})`));
        this.#emit(chunk.subarray(i, i + n));
        i += n;
        this.#left -= n;
        if (this.#left === 0) this.#state = 'data-end';
        continue;
      }
      if (this.#state === 'done') return done(framingError('goes on after its final chunk'));
      const nl = chunk.indexOf(10, i);
      const end = nl === -1 ? chunk.length : nl + 1;
      if (this.#state === 'trailers') {
        this.#trailerBytes += end - i;
        if (this.#trailerBytes > MAX_TRAILERS) return done(framingError('has trailers longer than 16 KiB'));
      } else if (this.#line.length + end - i > MAX_LINE + 2) return done(framingError('has a chunk header longer than 4 KiB'));
      this.#line += chunk.toString('latin1', i, end);
      i = end;
      if (nl === -1) continue;
      if (!this.#line.endsWith('\r\n')) return done(framingError('has a line that does not end with CRLF'));
      const line = this.#line.slice(0, -2);
      this.#line = '';
      const problem = this.#onLine(line);
      if (problem) return done(problem);
    }
    done();
  }

  /** One CRLF-terminated line outside the data: a chunk's size, the CRLF after its data, or a trailer. */
  #onLine(line: string): OriginSignerError | undefined {
    if (this.#state === 'data-end') {
      if (line !== '') return framingError('has chunk data longer than its size');
      this.#state = 'size';
      return undefined;
    }
    if (this.#state === 'size') {
      const m = CHUNK_LINE.exec(line);
      if (!m) return framingError(`has a malformed chunk header ${JSON.stringify(line.slice(0, 40))}`);
      this.#left = parseInt(m[1]!, 16);
      this.#state = this.#left === 0 ? 'trailers' : 'data';
      return undefined;
    }
    // Trailers, up to the empty line that ends the body.
    if (line === '') {
      this.#state = 'done';
      return undefined;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return framingError('has a malformed trailer');
    const name = line.slice(0, colon).trim().toLowerCase();
    // Only the trailer x-amz-trailer announced (and its signature) may follow the data: any other
    // checksum would go unchecked while the upload looked verified (S3 API Reference,
    // "Signature calculation: including trailing headers": x-amz-trailer names them).
    if (name !== this.#o.trailer?.name && name !== 'x-amz-trailer-signature') return framingError(`has a ${JSON.stringify(name.slice(0, 64))} trailer that x-amz-trailer did not announce`);
    if (this.#trailers.has(name)) return framingError(`has the ${name} trailer twice`);
    this.#trailers.set(name, line.slice(colon + 1).trim());
    return undefined;
  }

  #emit(data: Buffer): void {
    if (data.length === 0) return;
    this.#out += data.length;
    this.#checksum?.update(data);
    if (this.#held) this.push(this.#held);
    this.#held = data;
  }

  /** The trailing checksum, once it has been checked against the body (at the end). */
  get verifiedChecksum(): string | undefined {
    return this.#verified;
  }

  override _flush(done: TransformCallback): void {
    if (this.#state !== 'done') return done(framingError('ended before its final chunk and the empty line after it'));
    if (this.#out !== this.#o.decodedLength) return done(framingError(`holds ${this.#out} bytes, not its x-amz-decoded-content-length (${this.#o.decodedLength})`));
    const trailer = this.#o.trailer;
    if (!trailer) return this.#release(done);
    const sent = this.#trailers.get(trailer.name);
    if (sent === undefined) return done(framingError(`has no ${trailer.name} trailer, which its x-amz-trailer announced`));
    // With no data the checksum was never set up: take it now.
    const checksum = this.#checksum ? Promise.resolve(this.#checksum) : trailer.checksum;
    checksum.then((c) => c.digest()).then((computed) => {
      if (computed !== sent) return done(new OriginSignerError('OS_ERR_CHECKSUM_MISMATCH', `the upload's ${trailer.name} trailer (${sent.slice(0, 64)}) does not match its body (${computed})`));
      this.#verified = computed;
      this.#release(done);
    }, done);
  }

  #release(done: TransformCallback): void {
    if (this.#held) this.push(this.#held);
    this.#held = undefined;
    done();
  }
}
