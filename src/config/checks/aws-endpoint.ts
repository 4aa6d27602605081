import { awsS3Endpoint, regionOfAwsHost } from '../aws-regions.js';
import type { RawUpstream } from '../derive.js';
import { error, type ConfigPath, type Finding } from '../problems.js';

/**
 * An AWS endpoint that names a region must name the block's: a request signed for eu-central-1
 * and sent to s3.us-west-2.amazonaws.com is refused (AuthorizationHeaderMalformed) on every call.
 */
export function endpointRegionFindings(up: RawUpstream, block: ConfigPath): Finding[] {
  if (up.endpoint === undefined) return [];
  // SigV4A: the endpoint's region must be one of the set (S3 there refuses a set without it).
  if (up.type === 's3' && up.regionSet !== undefined) {
    const hostRegion = regionOfAwsHost(new URL(up.endpoint).hostname);
    if (hostRegion === undefined || up.regionSet.includes('*') || up.regionSet.includes(hostRegion)) return [];
    return [error([...block, 'upstream', 'endpoint'], `${up.endpoint} is in ${hostRegion}, but upstream.regionSet (${up.regionSet.join(', ')}) does not include it: S3 there refuses requests signed for other regions. Add ${hostRegion} to the set`)];
  }
  if (up.region === undefined || up.region === '*') return [];
  const hostRegion = regionOfAwsHost(new URL(up.endpoint).hostname);
  if (hostRegion === undefined || hostRegion === up.region) return [];
  const fix = up.type === 's3' ? `, or drop endpoint (the default for ${up.region} is ${awsS3Endpoint(up.region)})` : '';
  return [
    error(
      [...block, 'upstream', 'endpoint'],
      `${up.endpoint} is in ${hostRegion}, but upstream.region is ${up.region}: AWS refuses requests signed for another region. Make the two agree${fix}`,
    ),
  ];
}
