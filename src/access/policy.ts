import { BlockList, isIP } from 'node:net';
import { parseCidr } from '../http/cidr.js';

/**
 * The canned policy CloudFront rebuilds from a signed URL: exactly this JSON, byte for byte (no
 * spaces, this key order), is what the signature covers
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-creating-signed-url-canned-policy.html).
 */
export function cannedPolicy(resource: string, expires: number): string {
  return `{"Statement":[{"Resource":${JSON.stringify(resource)},"Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`;
}

export interface PolicyConditions {
  readonly resource: string | undefined;
  readonly dateLessThan: number;
  readonly dateGreaterThan: number | undefined;
  readonly sourceIp: string | undefined;
}

const epoch = (c: unknown): number | undefined => {
  const v = (c as { 'AWS:EpochTime'?: unknown } | undefined)?.['AWS:EpochTime'];
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
};

/**
 * The conditions of a custom policy (one statement, as CloudFront allows). Undefined when the
 * JSON is not a policy CloudFront would accept: no statement, no DateLessThan.
 */
export function parsePolicy(json: string): PolicyConditions | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return undefined;
  }
  const statements = (doc as { Statement?: unknown })?.Statement;
  if (!Array.isArray(statements) || statements.length !== 1) return undefined;
  const s = statements[0] as { Resource?: unknown; Condition?: Record<string, unknown> };
  const cond = s?.Condition;
  const dateLessThan = epoch(cond?.DateLessThan);
  if (dateLessThan === undefined) return undefined;
  const sourceIp = (cond?.IpAddress as { 'AWS:SourceIp'?: unknown } | undefined)?.['AWS:SourceIp'];
  // A policy with a range CloudFront could not read is refused, never read loosely.
  if (sourceIp !== undefined && (typeof sourceIp !== 'string' || !parseCidr(sourceIp))) return undefined;
  if (s.Resource !== undefined && typeof s.Resource !== 'string') return undefined;
  return { resource: s.Resource, dateLessThan, dateGreaterThan: epoch(cond?.DateGreaterThan), sourceIp };
}

/** `*` matches any run of characters (none included), `?` exactly one; everything else is literal. */
export function resourceMatches(pattern: string, url: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(url);
}

/**
 * Whether `ip` is in `range` (a CIDR or one address, as CloudFront's AWS:SourceIp and
 * `allowIps` take them). Families must match — `::/0` means every IPv6 viewer, not every viewer —
 * except an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`), which is its IPv4 address. A malformed
 * range matches nothing.
 */
export function ipInRange(ip: string, range: string): boolean {
  const cidr = parseCidr(range);
  if (!cidr) return false;
  let addr = ip;
  let family = isIP(addr);
  if (family === 6 && /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(addr)) {
    addr = addr.slice(7);
    family = 4;
  }
  if (family === 0 || family !== cidr.family) return false;
  const list = new BlockList();
  const type = cidr.family === 4 ? 'ipv4' : 'ipv6';
  list.addSubnet(cidr.address, cidr.prefix, type);
  return list.check(addr, type);
}
