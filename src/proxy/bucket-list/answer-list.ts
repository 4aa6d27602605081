import { sendError } from '../error-response.js';
import { fetchWhole, viewerLeaves } from '../fetch-whole.js';
import type { ReadContext } from '../read-object.js';
import { answerStoreError, writeXmlAnswer } from '../store-error-answer.js';
import { classifyUpstreamError } from '../upstream-error.js';
import { nestedPrefixes } from '../router.js';
import { planList } from './list-query.js';
import { viewerListXml } from './list-result.js';

/**
 * A viewer's ListObjectsV2 or ListObjects of a block with `listObjects: true` (README "Listing a
 * block like a bucket"): one page of the store's listing under keyPrefix, answered as S3 would for
 * a bucket holding only the block. The store's errors are answered like any (never its body).
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
  void fetchWhole(c, plan.target, viewerLeaves(c)).then((r) => {
    if (c.res.destroyed) return;
    let xml: string;
    try {
      if ('error' in r) throw r.error;
      if (r.status !== 200) {
        answerStoreError(sc, r.status, r.headers, r.body);
        return void c.res.end();
      }
      xml = viewerListXml(r.body.toString('utf8'), plan.ask, c.block.keyPrefix, c.block.path.slice(1, -1), hidden);
    } catch (err) {
      const { code, detail } = classifyUpstreamError(err);
      return fail(code, detail);
    }
    // A listing changes with every upload: never kept by a CDN for long.
    writeXmlAnswer(sc, 200, xml, { 'cache-control': 'no-cache' });
    c.res.end();
  });
}
