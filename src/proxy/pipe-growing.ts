import type { ServerResponse } from 'node:http';
import type { GrowingBody } from '../cache/growing-body.js';
import type { Exchange } from './exchange.js';
import { watchStall } from './send-timeout.js';

/**
 * Streams bytes [start, end] of a body being filled to one viewer, as they arrive, at the
 * viewer's own pace: a slow viewer waits for its socket to drain and holds up nobody else. A fill
 * that breaks cuts the viewer's connection — what it got must never pass for the whole object.
 * A viewer that leaves only stops reading; the fill goes on for the others.
 */
export function pipeGrowing(res: ServerResponse, x: Exchange, body: GrowingBody, start: number, end: number, sendTimeoutMs: number, then?: () => void): void {
  let pos = start;
  const stop = end + 1;
  let waiting = false;
  let finished = false;
  const finish = (): void => {
    finished = true;
    unsubscribe();
    res.off('close', finish);
  };
  const pump = (): void => {
    if (finished || waiting) return;
    if (res.destroyed) return finish();
    if (body.error) {
      finish();
      res.destroy(body.error);
      return;
    }
    const piece = body.slice(pos, stop);
    let ok = true;
    if (piece.length > 0) {
      pos += piece.length;
      x.bytesOut += piece.length;
      ok = res.write(piece);
    }
    if (pos >= stop) {
      finish();
      if (then) then();
      else res.end();
      return;
    }
    if (body.done) {
      // The store's body was shorter than the range: the fill itself fails in that case, so this is a bug guard.
      finish();
      res.destroy(new Error('the body ended before the range'));
      return;
    }
    if (!ok) {
      waiting = true;
      watchStall(res, x, sendTimeoutMs);
      res.once('drain', () => {
        waiting = false;
        pump();
      });
    }
  };
  const unsubscribe = body.subscribe(pump);
  res.on('close', finish);
  pump();
}
