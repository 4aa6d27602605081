import type { ServerResponse } from 'node:http';
import type { ResolvedBlock } from '../config/types.js';
import type { CredentialProvider } from '../credentials/provider.js';
import { OriginSignerError } from '../errors.js';
import { dispatchTarget, type UpstreamTarget } from '../http/upstream-target.js';
import { signDispatch, type SignInterceptorOptions } from '../interceptors/sign.js';
import type { SigningKeyCache } from '../signing/v4/signing-key.js';
import type { V4aKeyCache } from '../signing/v4a/key-cache.js';
import { sendError } from './error-response.js';
import type { Exchange } from './exchange.js';
import { classifyUpstreamError } from './upstream-error.js';

/** What a presigned redirect needs of the runtime. */
export interface RedirectDeps {
  readonly credentials: CredentialProvider;
  readonly clock: () => number;
  readonly keyCache: SigningKeyCache;
  readonly v4aKeyCache?: V4aKeyCache;
}

const NONE: ReadonlySet<string> = new Set();

/** The store's URL for `method` on `target` (with its query), presigned for `signing.expires` seconds. */
export async function presignedUrl(block: ResolvedBlock, method: 'GET' | 'HEAD', target: UpstreamTarget, d: RedirectDeps): Promise<string> {
  const credentials = d.credentials.current() ?? (await d.credentials.get());
  const o: SignInterceptorOptions = { signing: { ...block.signing, mode: 'query' }, region: block.region, v2Bucket: block.v2Bucket, credentials: d.credentials, clock: d.clock, keyCache: d.keyCache, ...(d.v4aKeyCache ? { v4aKeyCache: d.v4aKeyCache } : {}) };
  const signed = signDispatch({ origin: block.origin, method, ...dispatchTarget(target), headers: { host: block.host }, body: null }, credentials, o, NONE);
  return `${block.urlOrigin}${signed.path}`;
}

/**
 * `signing.mode: redirect` (README "Signing modes"): the viewer (after the access rules) is sent
 * 307 to a freshly presigned URL of the object and fetches it from the store itself. The redirect
 * may be kept privately no longer than the URL lives.
 */
export function answerRedirect(res: ServerResponse, x: Exchange, block: ResolvedBlock, method: 'GET' | 'HEAD', target: UpstreamTarget, d: RedirectDeps): void {
  presignedUrl(block, method, target, d).then(
    (location) => {
      if (res.destroyed) return;
      x.status = 307;
      res.writeHead(307, { location, 'cache-control': `private, max-age=${block.signing.expires}`, 'content-length': '0', 'x-request-id': x.id });
      res.end();
    },
    (err: unknown) => {
      const { code, detail } = err instanceof OriginSignerError ? { code: err.code, detail: err.message } : classifyUpstreamError(err);
      x.error = code;
      sendError(res, code, detail, { requestId: x.id, block: block.path, head: method === 'HEAD' });
    },
  );
}
