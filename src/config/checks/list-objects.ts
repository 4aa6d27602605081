import type { RawProxy } from '../block-schema.js';
import type { Fields } from '../partial.js';
import { has } from '../partial.js';
import { error, warning, type ConfigPath, type Finding } from '../problems.js';

/** `listObjects` on a block that could not serve it (README "Listing a block like a bucket"). */
export function listObjectsFindings(b: Fields<RawProxy>, at: ConfigPath): Finding[] {
  if (!has(b, 'listObjects') || !b.listObjects) return [];
  const here = [...at, 'listObjects'];
  const out: Finding[] = [];
  if (has(b, 'upstream') && b.upstream.type === 'mediastore') out.push(error(here, "a MediaStore block lists a folder on a GET of it already (ListItems); S3's listings are for S3 blocks"));
  if (has(b, 'signing') && b.signing.mode === 'redirect') out.push(error(here, 'signing.mode: redirect answers with presigned object URLs; a listing is answered through the proxy: use mode header or query'));
  if (has(b, 'methods') && !b.methods.includes('GET')) out.push(error(here, 'a listing is a GET: add GET to methods'));
  // An S3 client names the bucket by one path segment (path-style addressing): /a/b/ is no bucket name.
  if (has(b, 'path') && b.path.split('/').length !== 3) out.push(warning(here, `S3 clients name a bucket by one path segment; ${b.path} can be listed only by a hand-made request (GET ${b.path.slice(0, -1)}?list-type=2)`));
  return out;
}
