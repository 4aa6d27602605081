import { accessPointOf, namesRegionSet, regionOf, signingVersion, singleRegionOf, type RawSigning, type RawUpstream } from '../derive.js';
import { error, type ConfigPath, type Finding } from '../problems.js';

const REGION_SET_HINT = 'upstream.region: "*" (any region) or one region, or upstream.regionSet: [us-east-1, eu-west-1]';

/**
 * SigV4A (`signing.version: v4a`) and what only it can sign for: a region set needs v4a, v4a needs
 * a region set and the secret key, and the SigV4-only (HMAC) features do not mix with it. (A
 * multi-region access point without v4a is s3-flavours.ts's to say.)
 */
export function sigV4aFindings(up: RawUpstream, signing: RawSigning, block: ConfigPath): Finding[] {
  const at = (...rest: Array<string | number>): ConfigPath => [...block, ...rest];
  const version = signingVersion(up, signing);
  const out: Finding[] = [];
  const ap = accessPointOf(up);
  if (version !== 'v4a') {
    if (namesRegionSet(up) && up.type === 's3' && !ap?.multiRegion) {
      const where = up.regionSet !== undefined ? at('upstream', 'regionSet') : at('upstream', 'region');
      out.push(error(where, `a region set ("*" or several regions) is signed for with SigV4A only: write signing.version: v4a, or name one region for ${version === 'v2' ? 'SigV2' : 'SigV4'}`));
    }
    return out;
  }
  if (up.type === 'mediastore') return [error(at('signing', 'version'), 'MediaStore accepts SigV4 only, not SigV4A')];
  if (regionOf(up) === undefined && up.regionSet === undefined) out.push(error(at('upstream', 'region'), `SigV4A needs a region set: ${REGION_SET_HINT}`));
  if (up.region !== undefined && up.regionSet !== undefined) out.push(error(at('upstream', 'regionSet'), 'give the region set once: upstream.region ("*" or one region) or upstream.regionSet, not both'));
  if (up.regionSet && up.regionSet.length > 1 && up.regionSet.includes('*')) out.push(error(at('upstream', 'regionSet'), '"*" (any region) stands alone: write region: "*" or list the regions'));
  if (up.regionSet && new Set(up.regionSet).size !== up.regionSet.length) out.push(error(at('upstream', 'regionSet'), 'a region is listed twice'));
  // A bucket behind a region set: no regional endpoint follows from "*" or several regions.
  if (!ap && up.endpoint === undefined && (up.region !== undefined || up.regionSet !== undefined) && singleRegionOf(up) === undefined) {
    out.push(error(at('upstream', 'endpoint'), "a region set names no endpoint: set upstream.endpoint to the bucket's (e.g. https://s3.us-east-1.amazonaws.com), or use a multi-region access point (upstream.accessPoint)"));
  }
  return out;
}
