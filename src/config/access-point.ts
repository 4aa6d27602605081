/**
 * `upstream.accessPoint`: an S3 access point ARN as the upstream. Multi-region access points
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiRegionAccessPointRequests.html):
 * `arn:<partition>:s3::<account>:accesspoint/<alias>` — no region in the ARN, an alias such as
 * `mfzwi23gnjvgw.mrap` — are reached at `<alias>.accesspoint.s3-global.<partition's DNS suffix>`,
 * virtual-hosted (the key is the whole path), and take SigV4A only.
 */
export interface MultiRegionAccessPoint {
  readonly kind: 'multi-region';
  readonly partition: string;
  readonly account: string;
  /** The alias, `.mrap` included: the first labels of the host name. */
  readonly alias: string;
}

export type AccessPoint = MultiRegionAccessPoint;

const MRAP_ARN = /^arn:(aws(?:-[a-z]+)*):s3::(\d{12}):accesspoint\/([a-z0-9]{1,63}\.mrap)$/;

/** The access point an ARN names, or undefined when it is not one origin-signer can use. */
export function parseAccessPoint(arn: string): AccessPoint | undefined {
  const m = MRAP_ARN.exec(arn);
  return m ? { kind: 'multi-region', partition: m[1]!, account: m[2]!, alias: m[3]! } : undefined;
}

/** Why `parseAccessPoint` refused an ARN, for the config error. */
export function accessPointProblem(arn: string): string {
  if (/^arn:[^:]+:s3:[a-z0-9-]+:\d{12}:accesspoint\//.test(arn)) {
    return 'a regional access point ARN is not supported as upstream.accessPoint yet: only multi-region access points (arn:aws:s3::<account>:accesspoint/<alias>.mrap)';
  }
  return 'accessPoint must be a multi-region access point ARN: arn:aws:s3::<account-id>:accesspoint/<alias>.mrap (the alias, e.g. mfzwi23gnjvgw.mrap, not the name)';
}
