import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { ErrorCode } from '../errors.js';
import { firstValue } from '../http/first-value.js';
import { AwsChunkedDecoder } from './aws-chunked-decoder.js';
import { pipeViewerBody } from './drain.js';
import { runningChecksum, TRAILING_CHECKSUMS, type RunningChecksum } from './trailing-checksum.js';

/** How a viewer's aws-chunked upload is taken apart: the object's length, its checksum trailer, the Content-Encoding left. */
export interface ViewerFraming {
  readonly decodedLength: number;
  /** The `x-amz-checksum-*` trailer named by `x-amz-trailer`, if any. */
  readonly trailer: string | undefined;
  /** The viewer's Content-Encoding without `aws-chunked` (`aws-chunked,gzip` → `gzip`), or undefined. */
  readonly contentEncoding: string | undefined;
}

export type FramingResult = ViewerFraming | { readonly code: ErrorCode; readonly detail: string } | undefined;

/**
 * Whether a viewer's upload is framed as aws-chunked — `Content-Encoding: aws-chunked` or a
 * `STREAMING-*` `x-amz-content-sha256`, as the AWS SDKs send uploads with trailing checksums and
 * signed streaming uploads — and what taking the framing off needs (S3 API Reference,
 * "Signature calculation: transfer payload in multiple chunks"). Undefined: a plain body.
 */
export function viewerFraming(headers: IncomingHttpHeaders): FramingResult {
  const encodings = (firstValue(headers['content-encoding']) ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '');
  const chunked = encodings.some((e) => e.toLowerCase() === 'aws-chunked');
  const streaming = (firstValue(headers['x-amz-content-sha256']) ?? '').startsWith('STREAMING-');
  if (!chunked && !streaming) return undefined;
  const declared = firstValue(headers['x-amz-decoded-content-length']);
  if (declared === undefined || !/^\d{1,15}$/.test(declared)) {
    return { code: 'OS_ERR_BAD_AWS_CHUNKED', detail: 'an aws-chunked upload needs x-amz-decoded-content-length, the length of the object' };
  }
  const named = firstValue(headers['x-amz-trailer'])?.trim().toLowerCase();
  // The *-TRAILER payloads end with trailers, which x-amz-trailer must name (S3 API Reference,
  // "Signature calculation: including trailing headers").
  if (named === undefined && (firstValue(headers['x-amz-content-sha256']) ?? '').endsWith('-TRAILER')) {
    return { code: 'OS_ERR_BAD_AWS_CHUNKED', detail: 'a *-TRAILER upload needs x-amz-trailer, naming its checksum trailer' };
  }
  if (named !== undefined && !TRAILING_CHECKSUMS.has(named)) {
    return { code: 'OS_ERR_BAD_AWS_CHUNKED', detail: `x-amz-trailer names ${JSON.stringify(named.slice(0, 64))}; the proxy checks only ${[...TRAILING_CHECKSUMS].join(', ')}` };
  }
  const rest = encodings.filter((e) => e.toLowerCase() !== 'aws-chunked');
  return { decodedLength: Number(declared), trailer: named, contentEncoding: rest.length > 0 ? rest.join(',') : undefined };
}

/** The viewer's upload with its framing taken off as it arrives (AwsChunkedDecoder, through pipeViewerBody). */
export function unframe(req: IncomingMessage, f: ViewerFraming): AwsChunkedDecoder {
  let trailer: { name: string; checksum: Promise<RunningChecksum> } | undefined;
  if (f.trailer) {
    trailer = { name: f.trailer, checksum: runningChecksum(f.trailer) };
    // Settled later or never (an upload cut short): never an unhandled rejection.
    trailer.checksum.catch(() => undefined);
  }
  return pipeViewerBody(req, new AwsChunkedDecoder({ decodedLength: f.decodedLength, ...(trailer ? { trailer } : {}) }));
}
