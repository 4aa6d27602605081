import { sendError } from '../error-response.js';
import { watchStall } from '../send-timeout.js';
import type { ReadContext } from '../read-object.js';
import { answerStoreError, writeViewerHead } from '../store-error-answer.js';
import { classifyUpstreamError } from '../upstream-error.js';
import { fetchWhole, viewerLeaves } from '../fetch-whole.js';
import { compareKeys } from '../list-xml.js';
import { listTarget, readListPage, type ListPage } from './list-page.js';
import { HTML, JSON_FORMAT } from './listing-render.js';

type PageResult = { readonly page: ListPage } | { readonly status: number; readonly headers: Record<string, string | string[] | undefined>; readonly body: Buffer } | { readonly error: unknown };

/** One page of the folder's listing, read whole. */
async function fetchPage(c: ReadContext, prefix: string, after: string | undefined, signal: AbortSignal): Promise<PageResult> {
  const r = await fetchWhole(c, listTarget(c.block, prefix, after), signal);
  if ('error' in r || r.status !== 200) return r;
  try {
    return { page: readListPage(r.body.toString('utf8'), prefix) };
  } catch (error) {
    return { error };
  }
}

/**
 * A folder's listing (README "Static sites and browsers"): every page of the store's listing of
 * `prefix`, each written as it arrives and the next asked for once the viewer has taken it — so a
 * folder of a million keys streams in constant memory. An empty folder calls `onEmpty` (404)
 * before anything is written; HEAD answers as GET would, without the rows.
 */
export function answerListing(c: ReadContext, prefix: string, shownPath: string, onEmpty: () => void, atRoot = false): void {
  const accept = c.req.headers.accept ?? '';
  const format = /\bapplication\/json\b/.test(accept) && !/\btext\/html\b/.test(accept) ? JSON_FORMAT : HTML;
  const sc = { res: c.res, x: c.x, block: c.block, head: c.head, obs: c.obs };
  let started = false;
  const signal = viewerLeaves(c);
  let first = true;
  let lastShown: string | undefined;
  // Only a second page can be one: the listing has started, so it can only be cut.
  const brokenListing = (): void => {
    c.obs.log.warn({ reqId: c.x.id, block: c.block.path }, 'the store answered a listing page that does not go on from where it was asked to; listing cut');
    c.x.error = 'OS_ERR_UPSTREAM_UNREACHABLE';
    c.res.destroy();
  };
  const step = (after: string | undefined): void => {
    void fetchPage(c, prefix, after, signal).then((r) => {
      if (c.res.destroyed) return;
      if (!('page' in r)) {
        // Once rows are out, a broken listing can only be cut: a short one must not pass for whole.
        if (started) return void c.res.destroy();
        if ('status' in r) {
          answerStoreError(sc, r.status, r.headers, r.body);
          return void c.res.end();
        }
        const { code, detail } = classifyUpstreamError(r.error);
        c.x.error = code;
        return sendError(c.res, code, detail, { requestId: c.x.id, block: c.block.path, head: c.head });
      }
      const { entries, next } = r.page;
      // A store that ignores the token (marker) it is given answers the same page again, with the
      // same token or a fresh one, and would be listed for ever. S3 lists in key order, so a page
      // must go on past the last name shown, and an empty one must not say to go on from where it began.
      const repeats = next !== undefined && next === after;
      const goesBack = lastShown !== undefined && entries[0] !== undefined && compareKeys(entries[0].name, lastShown) <= 0;
      if (repeats || goesBack) return brokenListing();
      if (entries.length > 0) lastShown = entries[entries.length - 1]!.name;
      if (!started) {
        // A folder with only its marker object is an empty folder (its parent links to it), not a missing one.
        if (entries.length === 0 && !r.page.marker && next === undefined) return onEmpty();
        started = true;
        // A listing changes with every upload: never kept by a CDN for long.
        writeViewerHead(sc, 200, { 'content-type': format.contentType, 'cache-control': 'no-cache' });
        if (c.head) return void c.res.end();
        const head = format.head(shownPath, !atRoot);
        c.x.bytesOut += Buffer.byteLength(head);
        c.res.write(head);
      }
      let text = '';
      for (const e of entries) {
        text += format.row(e, first);
        first = false;
      }
      c.x.bytesOut += Buffer.byteLength(text);
      if (next === undefined) {
        const foot = format.foot();
        c.x.bytesOut += Buffer.byteLength(foot);
        return void c.res.end(text + foot);
      }
      if (c.res.write(text)) return step(next);
      watchStall(c.res, c.x, c.sendTimeoutMs);
      c.res.once('drain', () => step(next));
    });
  };
  step(undefined);
}
