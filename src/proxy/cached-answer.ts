import type { IncomingMessage } from 'node:http';
import type { EntryMeta } from '../cache/entry.js';
import { evaluateConditionals, rangeApplies } from '../cache/conditionals.js';
import { resolveRange } from '../cache/range.js';
import { viewerErrorXml } from './s3-error.js';
import { answerNotFound, writeViewerHead, writeXmlAnswer, type StoreErrorContext } from './store-error-answer.js';
import { firstValue } from '../http/first-value.js';

/** Headers a 304 repeats from the stored answer (RFC 9110 §15.4.5). */
const NOT_MODIFIED_HEADERS = ['etag', 'last-modified', 'cache-control', 'expires', 'content-location', 'vary'];

/** Sends bytes [start, end] of the object and ends the response. */
export type SendBytes = (start: number, end: number) => void;

export interface AnswerContext extends StoreErrorContext {
  readonly req: IncomingMessage;
  /** Answer the whole object with this status, the viewer's conditionals and Range aside (an error page, a fallback). */
  readonly asIs?: number;
  /** The shield's clock at this answer, for the viewer's conditional dates. */
  readonly now: number;
}

/**
 * The viewer's answer from a stored (or arriving) object: the viewer's own conditionals and Range
 * are judged here against the object (they never reach the store on a cached block), then the
 * block's responseHeaders rules apply as to any answer. `X-Cache` and `Age` ride in `c.extra`.
 */
export function answerFromMeta(c: AnswerContext, meta: EntryMeta, send: SendBytes): void {
  const { res, req, head } = c;
  if (meta.status === 404) return answerNotFound(c, meta.code);
  const v = { etag: meta.etag, lastModified: meta.headers['last-modified'] };
  if (c.asIs) {
    writeViewerHead(c, c.asIs, { ...meta.headers, 'content-length': String(meta.objectSize) });
    if (head || meta.objectSize === 0) return void res.end();
    return send(0, meta.objectSize - 1);
  }
  const judged = evaluateConditionals(req.headers, v, c.now);
  if (judged === 'precondition-failed') {
    writeXmlAnswer(c, 412, viewerErrorXml('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', c.x.id));
    return void res.end();
  }
  if (judged === 'not-modified') {
    const kept: Record<string, string> = {};
    for (const name of NOT_MODIFIED_HEADERS) if (meta.headers[name] !== undefined) kept[name] = meta.headers[name]!;
    writeViewerHead(c, 304, kept);
    res.end();
    return;
  }
  const size = meta.objectSize;
  const range = rangeApplies(firstValue(req.headers['if-range']), v, c.now) ? resolveRange(req.headers.range, size) : 'whole';
  if (range === 'unsatisfiable') {
    writeXmlAnswer(c, 416, viewerErrorXml('InvalidRange', 'The requested range is not satisfiable', c.x.id), { 'content-range': `bytes */${size}` });
    return void res.end();
  }
  const headers: Record<string, string> = { ...meta.headers, 'accept-ranges': 'bytes' };
  if (range === 'whole') {
    headers['content-length'] = String(size);
    writeViewerHead(c, 200, headers);
    if (head || size === 0) return void res.end();
    return send(0, size - 1);
  }
  headers['content-length'] = String(range.end - range.start + 1);
  headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
  writeViewerHead(c, 206, headers);
  if (head) return void res.end();
  send(range.start, range.end);
}

/** `Age` (RFC 9111 §5.1): seconds since the store's answer was stored or last revalidated. */
export const ageOf = (meta: EntryMeta, now: number): string => String(Math.max(0, Math.floor((now - meta.storedAt) / 1000)));

