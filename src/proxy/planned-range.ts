import type { IncomingMessage } from 'node:http';
import { evaluateConditionals, rangeApplies } from '../cache/conditionals.js';
import type { EntryMeta } from '../cache/entry.js';
import { resolveRange, type ByteRange } from '../cache/range.js';
import { firstValue } from '../http/first-value.js';

/** The bytes an answer from `meta` will send, judged as answerFromMeta judges them; undefined when it sends none (304, 412, 416, an empty object). */
export function plannedRange(req: IncomingMessage, meta: EntryMeta, now: number): ByteRange | undefined {
  const v = { etag: meta.etag, lastModified: meta.headers['last-modified'] };
  if (evaluateConditionals(req.headers, v, now) !== 'send' || meta.objectSize === 0) return undefined;
  const range = rangeApplies(firstValue(req.headers['if-range']), v, now) ? resolveRange(firstValue(req.headers.range), meta.objectSize) : 'whole';
  if (range === 'unsatisfiable') return undefined;
  return range === 'whole' ? { start: 0, end: meta.objectSize - 1 } : range;
}
