import { sendError } from '../error-response.js';
import { fetchWhole, viewerLeaves } from '../fetch-whole.js';
import type { ReadContext } from '../read-object.js';
import { answerStoreError, writeXmlAnswer } from '../store-error-answer.js';
import { classifyUpstreamError } from '../upstream-error.js';
import { nestedPrefixes } from '../router.js';
import { planList, storeListTarget } from './list-query.js';
import { listResultXml, pastHiddenEntry, readStorePage, type PageEntry } from './list-result.js';
import type { ResumePoint } from './list-token.js';

/**
 * A viewer's ListObjectsV2 or ListObjects of a block with `listObjects: true` (README "Listing a
 * block like a bucket"): a page of the store's listing under keyPrefix, answered as S3 would for
 * a bucket holding only the block. The store's errors are answered like any (never its body).
 * A store page is cut at the first name a nested block hides, and the listing goes on past that
 * block's prefix with another request for what is left of the page (one per nested block at most),
 * so no answer depends on the names it hides; a prefix inside one lists nothing, unasked.
 */
export function answerBucketList(c: ReadContext, rawQuery: string): void {
  const sc = { res: c.res, x: c.x, block: c.block, head: c.head, obs: c.obs };
  const fail = (code: Parameters<typeof sendError>[1], detail: string): void => {
    c.x.error = code;
    sendError(c.res, code, detail, { requestId: c.x.id, block: c.block.path, head: c.head });
  };
  const hidden = nestedPrefixes(c.rt.config.proxies, c.block);
  const plan = planList(c.block, rawQuery, hidden);
  if ('error' in plan) return fail(plan.error, plan.detail);
  const { ask } = plan;
  const name = c.block.path.slice(1, -1);
  const answer = (entries: readonly PageEntry[], truncated: boolean, resume?: ResumePoint): void => {
    // A listing changes with every upload: never kept by a CDN for long.
    writeXmlAnswer(sc, 200, listResultXml(entries, truncated, ask, name, hidden, resume), { 'cache-control': 'no-cache' });
    c.res.end();
  };
  if (hidden.some((h) => ask.prefix.startsWith(h))) return answer([], false);
  const signal = viewerLeaves(c);
  const entries: PageEntry[] = [];
  let asked = 0;
  const step = (target: typeof plan.target, from: ResumePoint | undefined): void => {
    asked++;
    void fetchWhole(c, target, signal).then((r) => {
      if (c.res.destroyed) return;
      try {
        if ('error' in r) throw r.error;
        if (r.status !== 200) {
          answerStoreError(sc, r.status, r.headers, r.body);
          return void c.res.end();
        }
        const page = readStorePage(r.body.toString('utf8'), c.block.keyPrefix, hidden);
        entries.push(...page.entries);
        const past = page.hiddenAt === undefined ? undefined : pastHiddenEntry(page.hiddenAt, hidden);
        // Each request goes past one nested prefix: a store that ignores where it was asked to start
        // is not asked again and again.
        if (past !== undefined && entries.length < ask.maxKeys && asked <= hidden.length) return step(storeListTarget(c.block, ask, past, ask.maxKeys - entries.length, hidden), past);
        // Cut with no room left (a store that gave more than asked): on past the hidden prefix. A page
        // whose last store page showed nothing: on from where that request started.
        answer(entries, page.truncated || past !== undefined, past ?? (page.entries.length === 0 ? from : undefined));
      } catch (err) {
        const { code, detail } = classifyUpstreamError(err);
        fail(code, detail);
      }
    });
  };
  step(plan.target, undefined);
}
