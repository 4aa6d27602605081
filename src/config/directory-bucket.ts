/**
 * S3 Express One Zone directory buckets (README "S3 flavours"). A directory bucket is named
 * `<base>--<az-id>--x-s3` (e.g. `my-bucket--usw2-az1--x-s3`); its zonal endpoint is
 * `https://<bucket>.s3express-<az-id>.<region>.amazonaws.com`, virtual-hosted, and object requests
 * are signed for the SigV4 service `s3express` with a session's credentials (CreateSession)
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/directory-bucket-naming-rules.html,
 * .../s3-express-networking.html, .../s3-express-create-session.html).
 */
const DIRECTORY_BUCKET = /^[a-z0-9][a-z0-9-]*--([a-z0-9]+(?:-[a-z0-9]+)*-az\d+)--x-s3$/;

/** The Availability Zone id a directory bucket's name carries (`usw2-az1`), or undefined for a general purpose bucket. */
export function directoryBucketZone(bucket: string | undefined): string | undefined {
  return bucket === undefined ? undefined : DIRECTORY_BUCKET.exec(bucket)?.[1];
}

/** The zonal endpoint of a directory bucket in `azId` of `region` (the bucket goes in front of it). */
export function s3ExpressEndpoint(azId: string, region: string): string {
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://s3express-${azId}.${region}.${suffix}`;
}

/** The session mode a block asks CreateSession for: ReadOnly when it only reads. */
export function sessionModeFor(methods: readonly string[]): 'ReadOnly' | 'ReadWrite' {
  return methods.every((m) => m === 'GET' || m === 'HEAD' || m === 'OPTIONS') ? 'ReadOnly' : 'ReadWrite';
}
