import { awsPartitionDnsSuffix, awsS3Endpoint, isAwsHost } from './aws-regions.js';
import { parseAccessPoint, type AccessPoint } from './access-point.js';
import type { RawProxy } from './schema.js';

/** Values a block's settings imply, shared by the config checks and the resolved config. */
export type RawUpstream = RawProxy['upstream'];
export type RawSigning = RawProxy['signing'];
export type SigningVersion = 'v4' | 'v2' | 'v4a';

/** The access point the upstream names, if any. */
export const accessPointOf = (up: RawUpstream): AccessPoint | undefined => (up.type === 's3' && up.accessPoint !== undefined ? parseAccessPoint(up.accessPoint) : undefined);

/** Whether the upstream names a region set only SigV4A can sign for: `region: "*"` or `regionSet`. */
export const namesRegionSet = (up: RawUpstream): boolean => up.type === 's3' && (up.region === '*' || up.regionSet !== undefined);

/**
 * Unified Origin's rule: a region means SigV4, none means SigV2, unless `signing.version` says.
 * A region set (`region: "*"`, `regionSet`) or a multi-region access point means SigV4A, the only
 * signature those take.
 */
export function signingVersion(up: RawUpstream, signing: RawSigning): SigningVersion {
  if (signing.version) return signing.version;
  if (namesRegionSet(up) || accessPointOf(up)?.kind === 'multi-region') return 'v4a';
  return up.region ? 'v4' : 'v2';
}

/**
 * The `X-Amz-Region-Set` a SigV4A block signs for: `regionSet` joined with `,`, else `region`
 * (`*` or one region); undefined when neither is given (which `check` refuses for v4a).
 */
export function regionSetOf(up: RawUpstream): string | undefined {
  if (up.type !== 's3') return up.region;
  return up.regionSet ? up.regionSet.join(',') : up.region;
}

/** The one region an upstream names (not `*`, not a set of several), if any: the one its default endpoint is in. */
export function singleRegionOf(up: RawUpstream): string | undefined {
  if (up.type === 's3' && up.regionSet) return up.regionSet.length === 1 && up.regionSet[0] !== '*' ? up.regionSet[0] : undefined;
  return up.region === '*' ? undefined : up.region;
}

/**
 * The configured endpoint; else a multi-region access point's global endpoint
 * (`https://accesspoint.s3-global.amazonaws.com`, the alias goes in front); else the region's S3
 * endpoint, else S3's global one.
 */
export function endpointUrl(up: RawUpstream): URL {
  if (up.endpoint) return new URL(up.endpoint);
  const ap = accessPointOf(up);
  if (ap?.kind === 'multi-region') return new URL(`https://accesspoint.s3-global.${awsPartitionDnsSuffix(ap.partition)}`);
  const region = singleRegionOf(up);
  return new URL(region ? awsS3Endpoint(region) : 'https://s3.amazonaws.com');
}

/** Whether the block talks to AWS itself (the AWS-only checks apply), not an S3-compatible store. */
export const targetsAws = (up: RawUpstream): boolean => isAwsHost(endpointUrl(up).hostname);

/** The name in the Host (virtual-hosted) or the first path segment (path-style): the bucket, or an access point's alias. */
export function bucketLabel(up: RawUpstream): string | undefined {
  if (up.type !== 's3') return undefined;
  return up.bucket ?? accessPointOf(up)?.alias;
}

/**
 * Virtual-hosted on AWS unless the bucket has a dot (the wildcard certificate would not match); an
 * access point is always addressed by host name.
 */
export function addressingOf(up: RawUpstream): 'virtual' | 'path' {
  if (up.type !== 's3') return 'path';
  if (up.addressing) return up.addressing;
  if (up.accessPoint !== undefined) return 'virtual';
  return targetsAws(up) && !(up.bucket ?? '').includes('.') ? 'virtual' : 'path';
}
