/**
 * S3 access points as a block's upstream (README "S3 flavours"). An access point ARN names its
 * endpoint: `arn:aws:s3:<region>:<account>:accesspoint/<name>` is served at
 * `<name>-<account>.s3-accesspoint.<region>.amazonaws.com`, virtual-hosted (the key is the whole
 * path); a multi-region access point, `arn:aws:s3::<account>:accesspoint/<alias>.mrap`, at
 * `<alias>.mrap.accesspoint.s3-global.amazonaws.com`, signed with SigV4A
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-access-points.html,
 * .../MultiRegionAccessPointRequests.html). An access point alias needs nothing of this: it is
 * written as the bucket.
 */
export const ACCESS_POINT_ARN = /^arn:(aws|aws-cn|aws-us-gov):s3:([a-z0-9-]*):(\d{12}):accesspoint[/:]([a-z0-9][a-z0-9.-]{1,62})$/;

export interface AccessPoint {
  readonly partition: string;
  /** Empty for a multi-region access point. */
  readonly region: string;
  readonly account: string;
  readonly name: string;
  readonly multiRegion: boolean;
  /** The host requests go to (and are signed for). */
  readonly host: string;
}

export function parseAccessPoint(arn: string): AccessPoint | undefined {
  const m = ACCESS_POINT_ARN.exec(arn);
  if (!m) return undefined;
  const [, partition, region, account, name] = m as unknown as [string, string, string, string, string];
  const suffix = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  const multiRegion = region === '';
  if (multiRegion) return { partition, region, account, name, multiRegion, host: `${name}.accesspoint.s3-global.${suffix}` };
  return { partition, region, account, name, multiRegion, host: `${name}-${account}.s3-accesspoint.${region}.${suffix}` };
}
