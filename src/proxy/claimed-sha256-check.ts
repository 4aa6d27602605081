import { createHash, type Hash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { OriginSignerError } from '../errors.js';
import { mismatchReason } from './content-sha256.js';
import { pipeViewerBody } from './drain.js';

/**
 * An upload whose viewer claimed its SHA-256 (`x-amz-content-sha256`, as an S3 client sends over
 * plain HTTP) streamed to the store unsigned or re-framed: S3 would refuse a body that does not
 * hash to it (400 XAmzContentSHA256Mismatch), but the proxy signs its own payload, so it checks
 * the claim itself. The last piece is held back until the hash is checked, so the store never
 * gets a complete body that does not match (as the aws-chunked decoder does with a trailer).
 */
export class ClaimedSha256Check extends Transform {
  readonly #claimed: string;
  readonly #hash: Hash = createHash('sha256');
  #held: Buffer | undefined;

  constructor(claimed: string) {
    super();
    this.#claimed = claimed;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#hash.update(chunk);
    const out = this.#held;
    this.#held = chunk;
    done(null, out);
  }

  override _flush(done: TransformCallback): void {
    const mismatch = mismatchReason(this.#claimed, this.#hash.digest('hex'));
    if (mismatch) return done(new OriginSignerError('OS_ERR_CONTENT_SHA256_MISMATCH', mismatch));
    done(null, this.#held);
  }
}

/** The viewer's body checked against `claimed` on its way (through pipeViewerBody), or as it is when nothing was claimed. */
export function checkClaimedSha256(req: IncomingMessage, claimed: string | undefined): Readable {
  return claimed === undefined ? req : pipeViewerBody(req, new ClaimedSha256Check(claimed));
}
