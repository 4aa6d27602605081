import { parseAccessPoint, type AccessPoint } from './access-point.js';
import { awsS3Endpoint, isAwsHost } from './aws-regions.js';
import { directoryBucketZone, s3ExpressEndpoint } from './directory-bucket.js';
import type { RawProxy } from './block-schema.js';

/** Values a block's settings imply, shared by the config checks and the resolved config. */
export type RawUpstream = RawProxy['upstream'];
export type RawSigning = RawProxy['signing'];
export type SigningVersion = 'v4' | 'v2' | 'v4a';

/** The block's access point, when its upstream is one (access-point.ts). */
export const accessPointOf = (up: RawUpstream): AccessPoint | undefined => (up.type === 's3' && up.accessPoint !== undefined ? parseAccessPoint(up.accessPoint) : undefined);

/** The region requests are signed for: the configured one, else an access point's own. */
export const regionOf = (up: RawUpstream): string | undefined => up.region ?? (accessPointOf(up)?.region || undefined);

/** Whether the upstream names a region set only SigV4A signs for: `region: "*"` or `regionSet`. */
export const namesRegionSet = (up: RawUpstream): boolean => up.type === 's3' && (up.region === '*' || up.regionSet !== undefined);

/**
 * Unified Origin's rule: a region means SigV4, none means SigV2, unless `signing.version` says.
 * SigV4A is always asked for (`signing.version: v4a`); a region set without it is a config error.
 */
export function signingVersion(up: RawUpstream, signing: RawSigning): SigningVersion {
  return signing.version ?? (regionOf(up) || namesRegionSet(up) ? 'v4' : 'v2');
}

/**
 * The `X-Amz-Region-Set` a SigV4A block signs for: `regionSet` joined with `,`, else `region`
 * (`*` or one region), else a regional access point's region; undefined when there is none
 * (which `check` refuses for v4a).
 */
export function regionSetOf(up: RawUpstream): string | undefined {
  if (up.type === 's3' && up.regionSet) return up.regionSet.join(',');
  return regionOf(up);
}

/** The one region an upstream names (not `*`, not a set of several), if any: the one its default endpoint is in. */
export function singleRegionOf(up: RawUpstream): string | undefined {
  if (up.type === 's3' && up.regionSet) return up.regionSet.length === 1 && up.regionSet[0] !== '*' ? up.regionSet[0] : undefined;
  const region = regionOf(up);
  return region === '*' ? undefined : region;
}

/** A directory bucket's Availability Zone id (S3 Express One Zone, directory-bucket.ts), or undefined. */
export const directoryZoneOf = (up: RawUpstream): string | undefined => (up.type === 's3' && up.accessPoint === undefined ? directoryBucketZone(up.bucket) : undefined);

/**
 * The configured endpoint, else an access point's, else a directory bucket's zonal endpoint, else
 * the region's S3 endpoint, else S3's global one.
 */
export function endpointUrl(up: RawUpstream): URL {
  const ap = accessPointOf(up);
  if (ap && !up.endpoint) return new URL(`https://${ap.host}`);
  const region = singleRegionOf(up);
  const zone = directoryZoneOf(up);
  if (zone && region && !up.endpoint) return new URL(s3ExpressEndpoint(zone, region));
  return new URL(up.endpoint ?? (region ? awsS3Endpoint(region) : 'https://s3.amazonaws.com'));
}

/** Whether the block talks to AWS itself (the AWS-only checks apply), not an S3-compatible store. */
export const targetsAws = (up: RawUpstream): boolean => isAwsHost(endpointUrl(up).hostname);

/** Virtual-hosted on AWS unless the bucket has a dot (the wildcard certificate would not match). */
export function addressingOf(up: RawUpstream): 'virtual' | 'path' {
  if (up.type !== 's3') return 'path';
  // An access point is addressed by its host alone; so is a directory bucket (its zonal endpoint).
  if (up.accessPoint !== undefined) return 'virtual';
  if (up.addressing === undefined && directoryZoneOf(up) !== undefined) return 'virtual';
  return up.addressing ?? (targetsAws(up) && !(up.bucket ?? '').includes('.') ? 'virtual' : 'path');
}
