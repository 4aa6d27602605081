import type { BlockSite } from '../../config/types.js';
import { decodeObjectKey } from '../object-key.js';
import type { ReadContext } from '../read-object.js';
import { readObject } from '../read-object.js';
import { answerPlainError } from '../store-error-answer.js';
import { upstreamTarget } from '../upstream-target.js';
import { isFolder } from './folder-probe.js';
import { answerListing } from './listing.js';

/** What a site read needs besides the read context: the viewer's path after the block, its query and forwarded headers. */
export interface SiteRequest {
  /** Raw (percent-encoded) path after the block's prefix. */
  readonly rest: string;
  readonly rawQuery: string;
  readonly rawPath: string;
  readonly viewerHeaders: Record<string, string>;
}

/** The last path segment has no `.`: a route of a single-page app, not a file. */
const looksLikeRoute = (rest: string): boolean => !(rest.slice(rest.lastIndexOf('/') + 1).includes('.'));

/**
 * GET and HEAD on a block with `site:` (README "Static sites and browsers"): a folder (or the
 * block's root) serves its index document, else its listing, else 404; a missing object may be a
 * folder (appendSlash → 302), a single-page app's route (spaFallback, 200) or get the block's error
 * page (keeping its status). Every object is read through the same signed path, and the cache.
 */
export function siteRead(c: ReadContext, site: BlockSite, r: SiteRequest): void {
  const missing = (status: number): number => (status === 403 && !c.block.notFoundFor403 ? 403 : 404);
  /** The block's error page for `status`, else the plain S3-shaped error. */
  const errorAnswer = (status: number): void => {
    const page = site.errorPages[String(status) as '403' | '404'];
    const plain = (): void => answerPlainError({ res: c.res, x: c.x, block: c.block, head: c.head, obs: c.obs }, status);
    if (page === undefined) return plain();
    const target = upstreamTarget(c.block, 'GET', encodeKey(page), '');
    if ('error' in target) return plain();
    readObject(c, { target, status, onMissing: plain });
  };
  if (r.rest === '' || r.rest.endsWith('/')) {
    const folder = r.rest === '' ? { key: '' } : decodeObjectKey(r.rest, '');
    if ('error' in folder) return answerPlainError({ res: c.res, x: c.x, block: c.block, head: c.head, obs: c.obs }, 400, folder.detail);
    const listing = (): void => (site.listing ? answerListing(c, c.block.keyPrefix + folder.key, r.rawPath, () => errorAnswer(404), r.rest === '') : errorAnswer(404));
    if (site.index === undefined) return listing();
    const target = upstreamTarget(c.block, 'GET', r.rest + encodeKey(site.index), r.rawQuery);
    // A refused query parameter is the viewer's 400, as on an object; an index key past S3's length limit is no index.
    if ('error' in target) return target.error === 'OS_ERR_KEY_TOO_LONG' ? listing() : answerPlainError({ res: c.res, x: c.x, block: c.block, head: c.head, obs: c.obs }, 400, target.detail);
    return readObject(c, { target, viewerHeaders: r.viewerHeaders, onMissing: (s) => (missing(s) === 404 ? listing() : errorAnswer(403)) });
  }
  const target = upstreamTarget(c.block, 'GET', r.rest, r.rawQuery);
  if ('error' in target) return answerPlainError({ res: c.res, x: c.x, block: c.block, head: c.head, obs: c.obs }, 400, target.detail);
  readObject(c, {
    target,
    viewerHeaders: r.viewerHeaders,
    onMissing: (status) => {
      if (missing(status) === 403) return errorAnswer(403);
      const fallback = (): void => {
        if (site.spaFallback === undefined || !looksLikeRoute(r.rest)) return errorAnswer(404);
        const spa = upstreamTarget(c.block, 'GET', encodeKey(site.spaFallback), '');
        if ('error' in spa) return errorAnswer(404);
        readObject(c, { target: spa, onMissing: () => errorAnswer(404) });
      };
      if (!site.appendSlash) return fallback();
      const key = decodeObjectKey(r.rest, c.block.keyPrefix);
      if ('error' in key) return fallback();
      void isFolder(c, `${key.key}/`).then((yes) => {
        if (c.res.destroyed) return;
        if (!yes) return fallback();
        // RFC 9110 §15.4.3: a folder is read at its path with a slash, the query kept. A path that
        // starts `//` or `/\` is another host to a browser (RFC 3986 §4.2): its second character is
        // written encoded, which names the same key here.
        const path = r.rawPath.replace(/^\/([/\\])/, (_m, c: string) => (c === '/' ? '/%2F' : '/%5C'));
        const location = `${path}/${r.rawQuery === '' ? '' : `?${r.rawQuery}`}`;
        c.x.status = 302;
        c.res.writeHead(302, { location, 'content-length': '0', 'x-request-id': c.x.id });
        c.res.end();
      });
    },
  });
}

/** A key relative to the block, percent-encoded as a viewer's path would carry it. */
const encodeKey = (key: string): string => key.split('/').map(encodeURIComponent).join('/');
