import type { Dispatcher } from 'undici';
import type { StoreHeaders } from '../config/types.js';
import type { TargetedDispatchOptions } from '../http/upstream-target.js';

/**
 * Adds the block's own headers to every request it sends the store, before the signer (composed
 * outside it), so they are signed like the rest: requester pays on all; SSE-C on object reads and
 * writes (GetObject, HeadObject, PutObject, UploadPart, CreateMultipartUpload — not DELETE, not a
 * listing, not CompleteMultipartUpload); SSE-KMS on the requests that create an object. S3 refuses
 * encryption headers on the operations that do not take them.
 */
export function storeHeadersInterceptor(h: StoreHeaders, basePath: string): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) =>
    function withStoreHeaders(opts, handler) {
      const { path, query } = (opts as TargetedDispatchOptions).target;
      const listing = path === basePath;
      const m = opts.method;
      const multipart = /(^|&)uploadId=/.test(query);
      const startsUpload = m === 'POST' && /(^|&)uploads(=|&|$)/.test(query);
      const object = !listing && (m === 'GET' || m === 'HEAD' || m === 'PUT' || startsUpload);
      const creates = !listing && ((m === 'PUT' && !multipart) || startsUpload);
      const headers = { ...(opts.headers as Record<string, string>), ...h.all, ...(object ? h.objects : {}), ...(creates ? h.creates : {}) };
      return dispatch({ ...opts, headers }, handler);
    };
}
