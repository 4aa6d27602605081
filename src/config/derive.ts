import { awsS3Endpoint, isAwsHost } from './aws-regions.js';
import type { RawProxy } from './schema.js';

/** Values a block's settings imply, shared by the config checks and the resolved config. */
export type RawUpstream = RawProxy['upstream'];
export type RawSigning = RawProxy['signing'];

/** Unified Origin's rule: a region means SigV4, none means SigV2, unless `signing.version` says. */
export function signingVersion(up: RawUpstream, signing: RawSigning): 'v4' | 'v2' {
  return signing.version ?? (up.region ? 'v4' : 'v2');
}

/** The configured endpoint, else the region's S3 endpoint, else S3's global one. */
export function endpointUrl(up: RawUpstream): URL {
  return new URL(up.endpoint ?? (up.region ? awsS3Endpoint(up.region) : 'https://s3.amazonaws.com'));
}

/** Whether the block talks to AWS itself (the AWS-only checks apply), not an S3-compatible store. */
export const targetsAws = (up: RawUpstream): boolean => isAwsHost(endpointUrl(up).hostname);

/** Virtual-hosted on AWS unless the bucket has a dot (the wildcard certificate would not match). */
export function addressingOf(up: RawUpstream): 'virtual' | 'path' {
  if (up.type !== 's3') return 'path';
  return up.addressing ?? (targetsAws(up) && !up.bucket.includes('.') ? 'virtual' : 'path');
}
