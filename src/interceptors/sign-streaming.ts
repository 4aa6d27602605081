import { pipeline, type Readable } from 'node:stream';
import { OriginSignerError } from '../errors.js';
import { AwsChunkedEncoder, DEFAULT_CHUNK_SIZE } from '../signing/v4/aws-chunked-encoder.js';
import { awsChunkedLength } from '../signing/v4/chunk-signature.js';
import type { ChunkSigner } from '../signing/chunk-signer.js';

/**
 * `payload: streaming` (sigv4-streaming.html): the headers of the framed body. Content-Length is
 * the framed length, x-amz-decoded-content-length the object's, Content-Encoding starts with
 * aws-chunked — all signed in the seed signature.
 */
export function framedHeaders(rest: Record<string, string>, signatureLength: number): Record<string, string> {
  const decoded = Number(rest['content-length']);
  if (!Number.isSafeInteger(decoded)) throw new OriginSignerError('OS_ERR_INTERNAL', 'payload: streaming needs the upload length');
  return {
    ...rest,
    'content-length': String(awsChunkedLength(decoded, DEFAULT_CHUNK_SIZE, signatureLength)),
    'x-amz-decoded-content-length': String(decoded),
    'content-encoding': rest['content-encoding'] ? `aws-chunked,${rest['content-encoding']}` : 'aws-chunked',
  };
}

/** The body as aws-chunked frames, each signed as it flows, the first chained from `seedSignature`. */
export function framedBody(body: Readable, signer: ChunkSigner, seedSignature: string): Readable {
  const encoder = new AwsChunkedEncoder({ signer, seedSignature, chunkSize: DEFAULT_CHUNK_SIZE });
  // An error on the viewer side (a cut upload) destroys the encoder before its final chunk, so
  // the store never sees a complete body.
  pipeline(body, encoder, () => {});
  return encoder;
}
