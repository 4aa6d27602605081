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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Whether `v` is an object whose keys are all in `allowed`: a key CloudFront does not know is a mistake, never ignored. */
const only = (v: unknown, allowed: readonly string[]): v is Record<string, unknown> => isObject(v) && Object.keys(v).every((k) => allowed.includes(k));

/** `{ "AWS:EpochTime": <integer> }`: undefined when absent, null when malformed. */
const epoch = (c: unknown): number | undefined | null => {
  if (c === undefined) return undefined;
  if (!only(c, ['AWS:EpochTime'])) return null;
  const v = c['AWS:EpochTime'];
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
};

/** `{ "AWS:SourceIp": "<CIDR>" }`: undefined when absent, null when malformed. */
const sourceIpOf = (c: unknown): string | undefined | null => {
  if (c === undefined) return undefined;
  if (!only(c, ['AWS:SourceIp'])) return null;
  const v = c['AWS:SourceIp'];
  return typeof v === 'string' && parseCidr(v) ? v : null;
};

/**
 * The conditions of a custom policy (one statement, as CloudFront allows). Undefined when the
 * JSON is not a policy CloudFront would accept: no statement, no DateLessThan, or a condition
 * CloudFront could not read (an unknown key, a misspelt `IpAddress` or `AWS:SourceIp`, a time that
 * is no whole number): a signed condition is refused, never read loosely
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-creating-signed-url-custom-policy.html).
 */
export function parsePolicy(json: string): PolicyConditions | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!only(doc, ['Statement'])) return undefined;
  const statements = doc['Statement'];
  if (!Array.isArray(statements) || statements.length !== 1) return undefined;
  const s: unknown = statements[0];
  if (!only(s, ['Resource', 'Condition']) || !only(s['Condition'], ['DateLessThan', 'DateGreaterThan', 'IpAddress'])) return undefined;
  const cond = s['Condition'];
  const dateLessThan = epoch(cond['DateLessThan']);
  const dateGreaterThan = epoch(cond['DateGreaterThan']);
  const sourceIp = sourceIpOf(cond['IpAddress']);
  if (dateLessThan === undefined || dateLessThan === null || dateGreaterThan === null || sourceIp === null) return undefined;
  const resource = s['Resource'];
  if (resource !== undefined && typeof resource !== 'string') return undefined;
  return { resource, dateLessThan, dateGreaterThan, sourceIp };
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
