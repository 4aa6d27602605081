import { awsPartitionOf, closestAwsRegion, isAvailabilityZoneId, isKnownAwsRegion, regionOfAvailabilityZone } from '../aws-regions.js';
import { targetsAws, type RawUpstream } from '../derive.js';
import { error, warning, type ConfigPath, type Finding } from '../problems.js';

/**
 * A block that talks to AWS must name a region: an availability zone (`us-east-1a`) or a name no
 * partition's pattern fits cannot be one (error); a name that fits but is not known (`eu-cental-1`)
 * is a typo, or a region opened since the list was taken (warning). S3-compatible stores name
 * their regions as they like (`default`, `auto`, `garage`), so those are not checked. Each region
 * of a SigV4A `regionSet` is checked the same way; `*` (any region) is not a name.
 */
export function regionFindings(up: RawUpstream, block: ConfigPath): Finding[] {
  if (!targetsAws(up)) return [];
  const out: Finding[] = [];
  if (up.region !== undefined && up.region !== '*') out.push(...regionNameFindings(up.region, [...block, 'upstream', 'region']));
  if (up.type === 's3') up.regionSet?.forEach((r, i) => r !== '*' && out.push(...regionNameFindings(r, [...block, 'upstream', 'regionSet', i])));
  return out;
}

function regionNameFindings(region: string, at: ConfigPath): Finding[] {
  const zoneOf = regionOfAvailabilityZone(region);
  if (zoneOf) return [error(at, `${region} is an availability zone, not a region: write region: ${zoneOf}`)];
  if (isAvailabilityZoneId(region)) return [error(at, `${region} is an availability zone ID, not a region: write the region it is in, e.g. us-east-1`)];
  const guess = closestAwsRegion(region);
  const didYouMean = guess ? ` — did you mean ${guess}?` : '';
  if (awsPartitionOf(region) === undefined) return [error(at, `${region} cannot be an AWS region (they look like eu-central-1)${didYouMean}`)];
  if (!isKnownAwsRegion(region)) {
    return [warning(at, `${region} is not an AWS region origin-signer knows${didYouMean} (a region AWS opened after this release is fine: then ignore this warning)`)];
  }
  return [];
}
