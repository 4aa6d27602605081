import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ResolvedBlock } from '../config/types.js';
import { sendError } from './error-response.js';
import type { Exchange, Observability } from './exchange.js';
import { viewerHeaders } from './response-headers.js';
import { storeHeadersUnderCors } from './cors.js';
import { readS3Error, redactTokens, viewerErrorFor, viewerErrorXml, type S3ErrorBody } from './s3-error.js';

type Headers = Record<string, string | string[] | undefined>;

/** Of a store error or redirect, only these headers may reach the viewer (its body and Location never do). */
const ERROR_HEADERS = ['content-range', 'retry-after', 'allow', 'date', 'x-amz-request-id', 'x-amz-id-2'];

export interface StoreErrorContext {
  readonly res: ServerResponse;
  readonly x: Exchange;
  readonly block: ResolvedBlock;
  readonly head: boolean;
  readonly obs: Observability;
  /** Headers the cache adds (X-Cache, Age), before the block's responseHeaders rules. */
  readonly extra?: Readonly<Record<string, string>>;
}

/**
 * Writes the head of an answer the proxy shapes itself: the block's responseHeaders rules, our
 * request id. `headers` is the caller's own fresh object: the cache's headers are added to it.
 */
export function writeViewerHead(c: StoreErrorContext, status: number, headers: Headers): void {
  if (c.extra) Object.assign(headers, c.extra);
  // A stored answer's headers are the store's: under `cors:` its CORS headers are not (cors.ts).
  const out: OutgoingHttpHeaders = viewerHeaders(c.block.cors ? storeHeadersUnderCors(headers) : headers, c.block.responseHeaders);
  out['x-request-id'] = c.x.id;
  c.x.status = status;
  c.res.writeHead(status, out);
}

/** An XML body of the proxy's own (an S3-shaped error, a listing): its head, then — but for HEAD — the body, counted; left open for the caller to end. */
export function writeXmlAnswer(c: StoreErrorContext, status: number, xml: string, headers: Headers = {}): void {
  const bytes = Buffer.byteLength(xml);
  writeViewerHead(c, status, { ...headers, 'content-type': 'application/xml', 'content-length': String(bytes) });
  if (c.head) return;
  c.x.bytesOut += bytes;
  c.res.write(xml);
}

/**
 * The viewer's answer to a store error (4xx/5xx) or redirect (3xx but 304): never the store's own
 * body — it can hold our canonical request, so the session token — nor its Location, which can be
 * a presigned URL. A short S3-shaped error with the store's code instead; the response is left
 * for the caller to end. Returns the store's parsed body (for `log.signatureDebug`).
 */
export function answerStoreError(c: StoreErrorContext, heldStatus: number, heldHeaders: Headers, held: Buffer, heldSize = held.length): S3ErrorBody {
  const { x, block, head, obs } = c;
  const body = readS3Error(held.toString('utf8'));
  if (heldStatus < 400) {
    obs.log.warn({ reqId: x.id, block: block.path, upstreamStatus: heldStatus, code: body.code }, 'the store answered with a redirect; not passed on (check upstream.region and upstream.endpoint)');
    x.error = 'OS_ERR_UPSTREAM_REDIRECT';
    sendError(c.res, 'OS_ERR_UPSTREAM_REDIRECT', 'the store answered with a redirect', { requestId: x.id, block: block.path, head, leaveOpen: true });
    return body;
  }
  let status = heldStatus;
  let { code, message } = viewerErrorFor(status, body.code);
  // S3 says 403 for a missing key to a reader without ListBucket; HEAD errors have no body.
  if (block.notFoundFor403 && status === 403 && (body.code === 'AccessDenied' || (head && heldSize === 0))) {
    status = 404;
    ({ code, message } = viewerErrorFor(404, 'NoSuchKey'));
  }
  const picked: Headers = {};
  for (const name of ERROR_HEADERS) if (heldHeaders[name] !== undefined) picked[name] = heldHeaders[name];
  const xml = viewerErrorXml(code, message, x.id, status === heldStatus ? body.details : []);
  writeXmlAnswer(c, status, xml, picked);
  return body;
}

/** The proxy's own S3-shaped answer for `status` (404 NoSuchKey, 403 AccessDenied, 400 with a reason), as the store would give it. */
export function answerPlainError(c: StoreErrorContext, status: number, reason?: string): void {
  const { code, message } = viewerErrorFor(status, status === 404 ? 'NoSuchKey' : status === 403 ? 'AccessDenied' : 'InvalidRequest');
  writeXmlAnswer(c, status, viewerErrorXml(code, reason ?? message, c.x.id));
  c.res.end();
}

/** A kept "no such key" answered from the cache, as the store's own 404 was. */
export function answerNotFound(c: StoreErrorContext, storeCode: string | undefined): void {
  const { code, message } = viewerErrorFor(404, storeCode ?? 'NoSuchKey');
  writeXmlAnswer(c, 404, viewerErrorXml(code, message, c.x.id));
  c.res.end();
}

/** `log.signatureDebug`: what we signed next to what the store expected, secrets redacted. */
export function reportMismatch(c: StoreErrorContext, body: S3ErrorBody): void {
  const { block, obs, x } = c;
  obs.metrics.signatureMismatches.inc({ block: block.path });
  const ours = x.signing;
  if (!ours) return;
  obs.log.warn(
    {
      reqId: x.id,
      block: block.path,
      // SigV2 strings to sign carry x-amz-security-token too: both are redacted like the canonical requests.
      ours: { canonicalRequest: redactTokens(ours.canonicalRequest), stringToSign: redactTokens(ours.stringToSign) },
      upstream: { canonicalRequest: redactTokens(body.canonicalRequest), stringToSign: redactTokens(body.stringToSign) },
    },
    "upstream SignatureDoesNotMatch: canonical request and string to sign, ours and the store's",
  );
}
