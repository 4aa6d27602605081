import type { RawProxy } from '../block-schema.js';
import type { Fields } from '../partial.js';
import { has } from '../partial.js';
import { error, warning, type ConfigPath, type Finding } from '../problems.js';

/**
 * What a MediaStore block cannot serve. Its presigned requests (mode query; redirect reads only) sign the
 * empty body's hash, as a generic service's presigned URL does (botocore's SigV4QueryAuth), so a
 * presigned PUT would be refused by the store; and MediaStore has no multipart uploads, so a POST
 * is always refused by the proxy (README "What reaches the bucket", step 4); and no query parameter
 * is forwarded to it, whatever `query.allow` or `cache.key.query` list.
 */
const NO_QUERY = 'MediaStore takes no query parameters: none is forwarded to it (versionId is refused)';

export function mediaStoreFindings(b: Fields<RawProxy>, at: ConfigPath): Finding[] {
  if (!has(b, 'upstream') || b.upstream.type !== 'mediastore') return [];
  const out: Finding[] = [];
  // Its object operations take no query parameter (README "What reaches the bucket", step 4): none is forwarded.
  if (has(b, 'query') && b.query.allow.length > 0) out.push(warning([...at, 'query', 'allow'], NO_QUERY));
  if (has(b, 'cache') && b.cache && b.cache.key.query.length > 0) out.push(warning([...at, 'cache', 'key', 'query'], NO_QUERY));
  if (!has(b, 'methods')) return out;
  if (has(b, 'signing') && b.signing.mode === 'query' && b.methods.includes('PUT')) out.push(error([...at, 'signing', 'mode'], `a MediaStore block's presigned requests sign an empty body: PUT needs mode: header`));
  if (b.methods.includes('POST')) out.push(warning([...at, 'methods'], 'MediaStore has no multipart uploads: every POST is refused (400)'));
  return out;
}
