/**
 * AWS's partitions as the AWS SDKs know them (partitions.json of @aws-sdk/core 3.981.0): each has
 * a region-name pattern and a DNS suffix. The region lists are a snapshot, so a name that fits a
 * pattern but is not listed may be a region opened since — the config checks warn about it rather
 * than refuse it.
 */
interface Partition {
  readonly id: string;
  readonly pattern: RegExp;
  readonly dnsSuffix: string;
  readonly dualStackDnsSuffix: string;
  readonly regions: readonly string[];
}

const PARTITIONS: readonly Partition[] = [
  {
    id: 'aws',
    pattern: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
    dnsSuffix: 'amazonaws.com',
    dualStackDnsSuffix: 'api.aws',
    regions: [
      'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
      'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
      'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2',
      'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'me-west-1', 'mx-central-1', 'sa-east-1', 'sa-west-1', 'us-east-1',
      'us-east-2', 'us-west-1', 'us-west-2',
    ],
  },
  { id: 'aws-cn', pattern: /^cn-\w+-\d+$/, dnsSuffix: 'amazonaws.com.cn', dualStackDnsSuffix: 'api.amazonwebservices.com.cn', regions: ['cn-north-1', 'cn-northwest-1'] },
  { id: 'aws-us-gov', pattern: /^us-gov-\w+-\d+$/, dnsSuffix: 'amazonaws.com', dualStackDnsSuffix: 'api.aws', regions: ['us-gov-east-1', 'us-gov-west-1'] },
  { id: 'aws-eusc', pattern: /^eusc-de-\w+-\d+$/, dnsSuffix: 'amazonaws.eu', dualStackDnsSuffix: 'api.amazonwebservices.eu', regions: ['eusc-de-east-1'] },
  { id: 'aws-iso', pattern: /^us-iso-\w+-\d+$/, dnsSuffix: 'c2s.ic.gov', dualStackDnsSuffix: 'api.aws.ic.gov', regions: ['us-iso-east-1', 'us-iso-west-1'] },
  { id: 'aws-iso-b', pattern: /^us-isob-\w+-\d+$/, dnsSuffix: 'sc2s.sgov.gov', dualStackDnsSuffix: 'api.aws.scloud', regions: ['us-isob-east-1', 'us-isob-west-1'] },
  { id: 'aws-iso-e', pattern: /^eu-isoe-\w+-\d+$/, dnsSuffix: 'cloud.adc-e.uk', dualStackDnsSuffix: 'api.cloud-aws.adc-e.uk', regions: ['eu-isoe-west-1'] },
  { id: 'aws-iso-f', pattern: /^us-isof-\w+-\d+$/, dnsSuffix: 'csp.hci.ic.gov', dualStackDnsSuffix: 'api.aws.hci.ic.gov', regions: ['us-isof-east-1', 'us-isof-south-1'] },
];

const KNOWN = new Set(PARTITIONS.flatMap((p) => p.regions));

/**
 * S3 regions that took SigV2 at all: those opened before 2014-01-30 (S3 API reference, "Signature
 * Version 2"). Every later region is SigV4 only, and no bucket created after 2020-06-24 takes SigV2.
 */
const SIGV2_REGIONS = new Set(['us-east-1', 'us-west-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1', 'ap-southeast-1', 'ap-southeast-2', 'sa-east-1', 'us-gov-west-1']);

/** The partition whose region pattern the name fits, if any. */
export function awsPartitionOf(region: string): string | undefined {
  return PARTITIONS.find((p) => p.pattern.test(region))?.id;
}

export const isKnownAwsRegion = (region: string): boolean => KNOWN.has(region);

export const acceptsSigV2 = (region: string): boolean => SIGV2_REGIONS.has(region);

/** `https://s3.<region>.<suffix>`: the partition's suffix, so cn-north-1 gets amazonaws.com.cn. */
export function awsS3Endpoint(region: string): string {
  const suffix = PARTITIONS.find((p) => p.pattern.test(region))?.dnsSuffix ?? 'amazonaws.com';
  return `https://s3.${region}.${suffix}`;
}

/** A host name under one of the partitions' DNS suffixes. */
export function isAwsHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return PARTITIONS.some((p) => [p.dnsSuffix, p.dualStackDnsSuffix].some((s) => h === s || h.endsWith(`.${s}`)));
}

/**
 * The region an AWS endpoint host names — `s3.us-west-2.amazonaws.com`, the legacy
 * `s3-us-west-2.amazonaws.com`, `s3.dualstack.…`, `….data.mediastore.us-west-2.…` — or undefined
 * for a global host such as `s3.amazonaws.com`, which routes to the bucket's own region.
 */
export function regionOfAwsHost(host: string): string | undefined {
  if (!isAwsHost(host)) return undefined;
  for (const label of host.toLowerCase().split('.')) {
    // The whole label, then what follows each '-' ("s3-us-west-2" → "us-west-2").
    const candidates = [label, ...[...label.matchAll(/-/g)].map((m) => label.slice(m.index + 1))];
    const region = candidates.find((c) => awsPartitionOf(c) !== undefined);
    if (region) return region;
  }
  return undefined;
}

/** `us-east-1a` → `us-east-1`: the region of a name that is an availability zone's. */
export function regionOfAvailabilityZone(name: string): string | undefined {
  const m = /^(.+-\d+)[a-z]$/.exec(name);
  return m && awsPartitionOf(m[1]!) !== undefined ? m[1] : undefined;
}

/** `use1-az1`: an availability zone ID (the same zone in every account). */
export const isAvailabilityZoneId = (name: string): boolean => /^[a-z]{2,6}\d+-az\d+$/.test(name);

/** The known region closest to a misspelt name (at most two edits away), for a "did you mean". */
export function closestAwsRegion(name: string): string | undefined {
  let best: { region: string; distance: number } | undefined;
  for (const region of KNOWN) {
    const distance = editDistance(name, region);
    if (distance <= 2 && (!best || distance < best.distance)) best = { region, distance };
  }
  return best?.region;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
