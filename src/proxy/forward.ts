import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { ResolvedBlock } from '../config/types.js';
import { OriginSignerError, type ErrorCode } from '../errors.js';
import type { SignableDispatchOptions } from '../interceptors/sign.js';
import { readObject, type ReadContext, type ViewerGone } from './read-object.js';
import { answerRedirect } from './redirect.js';
import { siteRead } from './site/site-read.js';
import { answerPlainError } from './store-error-answer.js';
import { hostHeaderProblem } from '../http/host-header.js';
import { hostOf } from '../http/host-pattern.js';
import { sourceObjectHeaderIn } from '../http/never-forwarded.js';
import { unforwardedProtection } from '../http/protection-headers.js';
import { unforwardedAppend, WRITE_OFFSET } from '../http/append-offset.js';
import { answerPreflight, applyCors, isPreflight, preflightProblem } from './cors.js';
import { drainThenEnd } from './drain.js';
import { sendError } from './error-response.js';
import { newExchange, report, type Observability } from './exchange.js';
import type { ProxyRuntime } from './runtime.js';
import { spool, SpoolDiskError, SpoolLimitError } from './spool.js';
import { claimedSha256, sha256Mismatch } from './content-sha256.js';
import { checkClaimedSha256 } from './claimed-sha256-check.js';
import { classifyUpstreamError } from './upstream-error.js';
import { upstreamHeaders } from './upstream-headers.js';
import { dispatchTarget } from '../http/upstream-target.js';
import { upstreamTarget } from './upstream-target.js';
import type { AwsChunkedDecoder } from './aws-chunked-decoder.js';
import { unframe, viewerFraming } from './viewer-framing.js';
import { declaredLength, lengthRefusal } from './upload-length.js';
import { ViewerResponse } from './viewer-response.js';
import { answerBucketList } from './bucket-list/answer-list.js';
import { answerBucketLocation, asksLocation } from './bucket-list/bucket-location.js';
import { answerCreateBucket } from './bucket-list/create-bucket.js';
import { namesListing } from './bucket-list/list-query.js';
import { shadowingBlock } from './router.js';

export { requestIdOf, type Observability } from './exchange.js';
export { upstreamTarget } from './upstream-target.js';

const WITH_BODY: ReadonlySet<string> = new Set(['PUT', 'POST', 'PATCH']);
const READS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/** The block encrypts what it writes itself (`upstream.sse`: SSE-C on every object, SSE-KMS on creates). */
const encrypts = ({ storeHeaders: h }: ResolvedBlock): boolean => h !== undefined && Object.keys(h.objects).length + Object.keys(h.creates).length > 0;

/** One viewer request, from route to upstream dispatch (README "What reaches the bucket"). */
export function forward(rt: ProxyRuntime, req: IncomingMessage, res: ServerResponse, obs: Observability): void {
  const x = newExchange(req);
  const method = req.method ?? 'GET';
  const head = method === 'HEAD';
  const rawUrl = req.url ?? '/';
  const qi = rawUrl.indexOf('?');
  const rawPath = qi === -1 ? rawUrl : rawUrl.slice(0, qi);
  const log = obs.log;
  obs.metrics.inFlight.inc();
  let viewer: ViewerGone | undefined;
  // One listener for the whole exchange ('close' comes once): the access line, then the upstream
  // request aborted if the viewer left before the end. `on`, not `once`: no wrapper per request.
  res.on('close', () => {
    report(obs, x, res, method, rawPath, qi === -1 ? '' : rawUrl.slice(qi + 1));
    viewer?.viewerClosed();
  });
  const refuse = (code: ErrorCode, detail: string, headers: Record<string, string> = {}): void => {
    x.error = code;
    sendError(res, code, detail, { requestId: x.id, ...(x.block ? { block: x.block } : {}), head }, headers);
  };
  /** A refusal of an upload whose body is still coming: answer, drain (bounded), then end. */
  const refuseUpload = (code: ErrorCode, detail: string): void => {
    x.error = code;
    sendError(res, code, detail, { requestId: x.id, ...(x.block ? { block: x.block } : {}), head, leaveOpen: true });
    drainThenEnd(req, res);
  };

  const badHost = hostHeaderProblem(req);
  if (badHost) return refuse('OS_ERR_BAD_REQUEST', badHost);
  const host = hostOf(req.headers.host);
  const route = rt.route(rawPath, host);
  if (!route) return refuse('OS_ERR_NO_ROUTE', 'no proxy block serves this path');
  const nested = shadowingBlock(rt.route, route, host);
  if (nested) return refuse('OS_ERR_ENCODED_PREFIX', `the path, percent-decoded, is under ${nested.path}, which serves it: request it without percent-encoding in that prefix`);
  const block: ResolvedBlock = route.block;
  x.block = block.path;
  x.credentials = block.credentials.name;
  if (block.cors) {
    // A preflight is the browser's own question, before any credential or secret header: the
    // proxy answers it, it never reaches the store or the access rules.
    if (isPreflight(req)) {
      const problem = preflightProblem(block.cors, req);
      if (!problem) return answerPreflight(res, block.cors, req, x.id);
      x.denied = problem;
      return refuse('OS_ERR_ACCESS_DENIED', problem);
    }
    applyCors(res, block.cors, typeof req.headers.origin === 'string' ? req.headers.origin : undefined);
  }
  if (!block.methods.includes(method)) return refuse('OS_ERR_METHOD_NOT_ALLOWED', `${method} is not allowed here`, { allow: block.methods.join(', ') });
  // The block's access rules before anything about the key is even read: a viewer who may not use
  // the block learns nothing from how its key would be judged.
  let denied: string | undefined;
  try {
    denied = rt.access(block)?.(req, rawPath, qi === -1 ? '' : rawUrl.slice(qi + 1));
  } catch (err) {
    // An access rule must never leave a request hanging or let it through: fail closed.
    log.error({ reqId: x.id, block: block.path, err: (err as Error).message }, 'access check failed');
    return refuse('OS_ERR_INTERNAL', 'the access check failed');
  }
  if (denied) {
    obs.metrics.accessDenied.inc({ block: block.path, reason: denied });
    x.error = 'OS_ERR_ACCESS_DENIED';
    x.denied = denied;
    sendError(res, 'OS_ERR_ACCESS_DENIED', `access denied: ${denied}`, { requestId: x.id, block: block.path, head, reason: denied });
    return;
  }
  // A refusal of a request whose body is still arriving drains it, so the viewer reads the answer.
  const bodyComing = WITH_BODY.has(method) && !req.complete;
  const rawQuery = qi === -1 ? '' : rawUrl.slice(qi + 1);
  const sendTimeoutMs = rt.config.server.sendTimeout * 1000;
  // The block's root, when S3 clients may use the block as a bucket (README "Listing a block like a bucket").
  const bucketRoot = block.listObjects && route.rest === '';
  if (READS.has(method)) {
    const forwarded = upstreamHeaders(method, req.headers, block.signing);
    if ('error' in forwarded) return refuse('OS_ERR_BAD_HEADER', forwarded.error);
    const rc: ReadContext = { rt, req, res, x, block, head, obs, sendTimeoutMs, track: (v) => (viewer = v) };
    if (bucketRoot && asksLocation(rawQuery)) return answerBucketLocation({ res, x, block, head, obs });
    if (bucketRoot && (!block.site || rawPath !== block.path || namesListing(rawQuery))) return answerBucketList(rc, rawQuery);
    if (block.site && block.type === 's3') return siteRead(rc, block.site, { rest: route.rest, rawQuery, rawPath, viewerHeaders: forwarded.headers });
    // A bucket's root is no object: S3's own answer for a missing key, not a malformed request.
    // (A MediaStore block's root and folders are listings: upstreamTarget makes them ListItems.)
    if (route.rest === '' && block.type === 's3') return answerPlainError({ res, x, block, head, obs }, 404);
    const target = upstreamTarget(block, method, route.rest, rawQuery);
    if ('error' in target) return refuse(target.error, target.detail);
    if (block.signing.mode === 'redirect') return answerRedirect(res, x, block, method as 'GET' | 'HEAD', target, rt.redirect(block));
    return readObject(rc, { target, viewerHeaders: forwarded.headers });
  }
  // An S3 client making sure its bucket exists (CreateBucket at start-up): it does, as far as it may know.
  if (bucketRoot && method === 'PUT' && rawQuery === '') return answerCreateBucket({ res, x, block, head, obs }, req);
  // Everything but reads from here on: a refusal drains a body still coming.
  const refuseWrite = (code: ErrorCode, detail: string): void => (bodyComing ? refuseUpload(code, detail) : refuse(code, detail));
  // A copy or rename names its source in a header: forwarded, it could read outside the block;
  // dropped, the PUT would store an empty body over the key. Refused either way.
  const source = WITH_BODY.has(method) ? sourceObjectHeaderIn(req.headers) : undefined;
  if (source) {
    const detail = `${source} names another object to read: server-side copy and rename are not served through the proxy`;
    return refuseWrite('OS_ERR_COPY_REFUSED', detail);
  }
  // Encryption or a lock asked for and silently dropped would leave the object less protected
  // than the viewer was told: refused unless the block forwards the header.
  const unprotected = WITH_BODY.has(method) ? unforwardedProtection(req.headers, block.signing.includeHeaders, encrypts(block)) : undefined;
  if (unprotected) {
    const detail = `${unprotected} asks the store to encrypt or lock the object, and this block does not forward it (signing.includeHeaders)`;
    return refuseWrite('OS_ERR_PROTECTION_NOT_FORWARDED', detail);
  }
  // An append whose offset were dropped would overwrite the object with the appended bytes alone.
  if (WITH_BODY.has(method) && unforwardedAppend(req.headers, block.signing.includeHeaders)) {
    return refuseWrite('OS_ERR_APPEND_NOT_FORWARDED', `${WRITE_OFFSET} asks the store to append to the object, and this block does not forward it (signing.includeHeaders)`);
  }
  const target = upstreamTarget(block, method, route.rest, rawQuery);
  if ('error' in target) return refuseWrite(target.error, target.detail);
  const forwarded = upstreamHeaders(method, req.headers, block.signing);
  if ('error' in forwarded) return refuseWrite('OS_ERR_BAD_HEADER', forwarded.error);
  const headers = forwarded.headers;
  headers.host = block.host;
  const shield = rt.shield;
  // A write drops what the cache holds of the key, in every cached block on the store, once the store answers.
  const written = shield && !READS.has(method) ? rt.writtenBases(block, target.path) : [];
  const invalidate = shield && written.length > 0 ? () => { for (const base of written) void shield.invalidate(base); } : undefined;
  const send = (body: Readable | null): void => {
    const opts: SignableDispatchOptions = { origin: block.origin, method: method as Dispatcher.HttpMethod, ...dispatchTarget(target), headers, body };
    if (rt.config.log.signatureDebug) opts.onSigned = (d) => (x.signing = d);
    try {
      const handler = new ViewerResponse(res, x, { head, body, block, obs, sendTimeoutMs, ...(invalidate ? { onAnswer: invalidate } : {}) });
      viewer = handler;
      rt.dispatcher(block).dispatch(opts, handler);
    } catch (err) {
      body?.destroy();
      const { code, detail } = classifyUpstreamError(err);
      refuse(code, detail);
    }
  };

  const unframed = lengthRefusal(method, req.headers);
  if (unframed) return refuseWrite(unframed.code, unframed.detail);
  // An SDK's aws-chunked upload: the object is what is inside the framing, of the decoded length.
  const framing = WITH_BODY.has(method) ? viewerFraming(req.headers) : undefined;
  if (framing && 'code' in framing) return refuseWrite(framing.code, framing.detail);
  const declared = framing ? String(framing.decodedLength) : declaredLength(req.headers['content-length']);
  if (!framing && declared !== undefined && headers['content-length'] !== undefined) headers['content-length'] = declared;
  const chunked = !framing && declared === undefined && req.headers['transfer-encoding'] !== undefined;
  if (framing) {
    headers['content-length'] = String(framing.decodedLength);
    if (framing.contentEncoding) headers['content-encoding'] = framing.contentEncoding;
    else delete headers['content-encoding'];
  }
  let decoder: AwsChunkedDecoder | undefined;
  // A plain body's claimed hash is checked as it streams; payload: sha256 checks it once spooled.
  const claimed = framing || block.signing.payload === 'sha256' ? undefined : claimedSha256(req.headers);
  const body = (): Readable => (framing ? (decoder = unframe(req, framing)) : checkClaimedSha256(req, claimed));
  // An empty body is no body: signed as the empty payload, never framed (RGW answers an empty
  // aws-chunked POST ?uploads with 501). A framed one is read to its end, for its checksum.
  if (!WITH_BODY.has(method) || (!framing && ((declared === undefined && !chunked) || declared === '0'))) return send(null);
  x.bytesIn = declared === undefined ? undefined : Number(declared);
  // S3 needs an upload's length up front, and payload: sha256 needs its hash before the headers
  // go out: those uploads are spooled to disk first (bounded), everything else streams through.
  // Expect: 100-continue (RFC 9110 §10.1.1): invite the body only once the proxy is going to read
  // it — a refused upload (405, 413, 411) is answered without the client sending it first.
  const invite = (): void => {
    if (req.headers.expect?.toLowerCase() === '100-continue') res.writeContinue();
  };
  // A trailing checksum, once checked, goes on as a header when the upload fits the spool: S3 keeps
  // it with the object, and a multipart upload started with a checksum algorithm needs one per part.
  const passChecksum = framing?.trailer !== undefined && framing.decodedLength <= block.spool.maxBytes;
  if (!chunked && block.signing.payload !== 'sha256' && !passChecksum) {
    invite();
    return send(body());
  }
  const limit = block.spool.maxBytes;
  if (chunked && limit === 0) return refuseUpload('OS_ERR_LENGTH_REQUIRED', 'send Content-Length: this block does not spool uploads (spool.maxSize: 0)');
  if (declared !== undefined && Number(declared) > limit) {
    return refuseUpload('OS_ERR_BODY_TOO_LARGE', `the upload is ${declared} bytes; this block spools at most ${limit} (spool.maxSize)`);
  }
  invite();
  spool(req, { dir: block.spool.dir, limit, hash: block.signing.payload === 'sha256' }, body()).then(
    (spooled) => {
      x.bytesIn = spooled.size;
      const mismatch = sha256Mismatch(req.headers, spooled.sha256);
      if (mismatch) return (spooled.body.destroy(), refuseUpload('OS_ERR_CONTENT_SHA256_MISMATCH', mismatch));
      headers['content-length'] = String(spooled.size);
      if (spooled.sha256) headers['x-amz-content-sha256'] = spooled.sha256;
      if (framing?.trailer && decoder?.verifiedChecksum) headers[framing.trailer] = decoder.verifiedChecksum;
      send(spooled.body);
    },
    (err: unknown) => {
      if (err instanceof SpoolLimitError) return refuseUpload('OS_ERR_BODY_TOO_LARGE', `the upload is larger than ${limit} bytes (spool.maxSize)`);
      if (err instanceof OriginSignerError) return refuseUpload(err.code, err.message);
      if (err instanceof SpoolDiskError) {
        log.error({ reqId: x.id, block: block.path, code: err.code, err: err.message }, 'upload not spooled: the spool disk failed');
        return refuseUpload('OS_ERR_SPOOL_FAILED', err.message);
      }
      // The viewer went away mid-upload: nothing was sent upstream.
      x.error = 'spool';
      log.warn({ reqId: x.id, err: (err as Error).message }, 'upload not spooled');
      if (!res.headersSent) refuse('OS_ERR_BAD_REQUEST', 'the upload did not complete', { connection: 'close' });
    },
  );
}
