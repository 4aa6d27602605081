import type { RawCors, RawSite } from '../site-schema.js';
import { error, type ConfigPath, type Finding } from '../problems.js';

/** Contradictions in a block's site and CORS rules (README "Static sites and browsers"). */
export function siteFindings(site: RawSite | undefined, type: string | undefined, at: ConfigPath): Finding[] {
  if (!site) return [];
  const out: Finding[] = [];
  if (type === 'mediastore') out.push(error([...at, 'site'], 'site: serves S3 buckets; a MediaStore block lists its folders itself'));
  // The app's own root is a folder: without an index document it would be a 404 (or a listing).
  if (site.spaFallback !== undefined && site.index === undefined) out.push(error([...at, 'site', 'spaFallback'], 'spaFallback needs site.index (the app is served at its root folder too)'));
  return out;
}

export function corsFindings(cors: RawCors | undefined, at: ConfigPath): Finding[] {
  if (!cors?.credentials || !cors.origins.includes('*')) return [];
  // Fetch §3.2.5: a credentialed request never accepts `*`; echoing any origin with credentials would let every site read as the viewer.
  return [error([...at, 'cors', 'origins'], 'credentials: true cannot go with the origin "*": list the origins')];
}
