/**
 * SigV4A's region set (`X-Amz-Region-Set`, signed): it must include this origin's region. The
 * refusal's wording is this origin's; S3 does not document it.
 */
import { headerJoined } from './headers.js';
import { malformedHeader, malformedQuery } from './sigv4-errors.js';
import type { SignableRequest } from './types.js';

/** Whether a region set (`us-east-1,eu-west-1`, `*`, `us-*`) covers `region`. */
export function regionSetIncludes(regionSet: string, region: string): boolean {
  return regionSet.split(',').some((entry) => {
    const e = entry.trim();
    return e === '*' || e === region || (e.endsWith('*') && region.startsWith(e.slice(0, -1)));
  });
}

/** Header auth: the X-Amz-Region-Set header, which must be sent. */
export function headerRegionSet(req: SignableRequest, region: string): string {
  const regionSet = headerJoined(req.headers, 'x-amz-region-set');
  if (regionSet === undefined) throw malformedHeader('SigV4A requires the X-Amz-Region-Set header.');
  if (!regionSetIncludes(regionSet, region)) throw malformedHeader(`the region set '${regionSet}' does not include '${region}'.`);
  return regionSet;
}

/** Presigned: the X-Amz-Region-Set parameter (its presence is checked with the other auth parameters). */
export function checkPresignedRegionSet(regionSet: string, region: string): void {
  if (!regionSetIncludes(regionSet, region)) throw malformedQuery(`X-Amz-Region-Set '${regionSet}' does not include '${region}'.`);
}
