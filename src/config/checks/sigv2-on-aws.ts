import { acceptsSigV2, regionOfAwsHost } from '../aws-regions.js';
import { endpointUrl, namesRegionSet, signingVersion, targetsAws, type RawSigning, type RawUpstream } from '../derive.js';
import { error, warning, type ConfigPath, type Finding } from '../problems.js';

/**
 * SigV2 against AWS: S3 refuses it for buckets created since 2020-06-24 and in every region opened
 * since 2014. A block that gets SigV2 only because it has no region is almost always a mistake
 * (error); one that asks for it is refused where no bucket can take it, and warned about elsewhere.
 */
export function sigV2OnAwsFindings(up: RawUpstream, signing: RawSigning, block: ConfigPath): Finding[] {
  // A region set with v2 is sigv4a.ts's to say.
  if (up.type !== 's3' || signingVersion(up, signing) !== 'v2' || !targetsAws(up) || namesRegionSet(up)) return [];
  const region = up.region ?? regionOfAwsHost(endpointUrl(up).hostname);
  if (signing.version === undefined) {
    const hint = region ? ` (the endpoint's is ${region})` : '';
    return [
      error(
        [...block, 'upstream', 'region'],
        `no region, so this block would sign with SigV2, which AWS refuses for buckets created since 2020-06-24 and in every region opened since 2014. ` +
          `Set upstream.region to the bucket's region${hint} to sign with SigV4; only for an older bucket that really takes SigV2, write signing.version: v2`,
      ),
    ];
  }
  if (region !== undefined && !acceptsSigV2(region)) {
    return [error([...block, 'signing', 'version'], `S3 in ${region} accepts SigV4 only (SigV2 never existed in regions opened since 2014): remove signing.version: v2`)];
  }
  return [
    warning(
      [...block, 'signing', 'version'],
      'SigV2 on AWS works only for buckets created before 2020-06-24 in regions opened before 2014, and AWS is retiring it: prefer SigV4 (set upstream.region, remove signing.version: v2)',
    ),
  ];
}
