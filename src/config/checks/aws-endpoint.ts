import { awsS3Endpoint, regionOfAwsHost } from '../aws-regions.js';
import type { RawUpstream } from '../derive.js';
import { error, type ConfigPath, type Finding } from '../problems.js';

/**
 * An AWS endpoint that names a region must name the block's: a request signed for eu-central-1
 * and sent to s3.us-west-2.amazonaws.com is refused (AuthorizationHeaderMalformed) on every call.
 */
export function endpointRegionFindings(up: RawUpstream, block: ConfigPath): Finding[] {
  if (up.endpoint === undefined || up.region === undefined) return [];
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
