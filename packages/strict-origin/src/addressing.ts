/**
 * Bucket and key from the Host header and the request path.
 *
 * S3 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html):
 *  - an access point's host names its bucket: the whole path is the key;
 *  - Host "<bucket>.<suffix>[:port]" is virtual-hosted-style: the whole path is the key;
 *  - any other Host is path-style: "/<bucket>/<key>".
 * The key is the path percent-decoded once as UTF-8 (`+` stays a plus); `//`,
 * a trailing `/`, `.` and `..` are kept as they are — they are part of the key.
 *
 * MediaStore has no buckets: the key is the whole decoded path minus its leading `/`.
 */
import { percentDecode } from './canonical-uri.js';
import { invalidUri } from './s3-errors.js';

export interface Target {
  /** Bucket, or undefined for the service root ("GET /"). */
  bucket: string | undefined;
  /** Object key, or undefined for a bucket-level request. */
  key: string | undefined;
  /** The bucket when it came from the Host header (SigV2 CanonicalizedResource). */
  hostBucket: string | null;
}

/** Host name without port, lower-cased ("[::1]:80" → "[::1]"). */
function hostName(host: string | undefined): string {
  if (!host) return '';
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

/** The rest of the path after its leading `/` is the key; none when that is empty (a bucket-level request). */
function wholePathKey(decoded: string): string | undefined {
  const key = decoded.slice(1);
  return key === '' ? undefined : key;
}

/**
 * `accessPoints`: access point host names (lower-case, no port) → their bucket. An access point
 * is not the bucket's own host, so SigV2 does not sign its bucket (hostBucket null).
 */
export function resolveS3Target(host: string | undefined, wirePath: string, virtualHostSuffix: string, accessPoints: ReadonlyMap<string, string> = new Map()): Target {
  const decoded = percentDecode(wirePath);
  if (decoded === undefined || !decoded.startsWith('/')) throw invalidUri();
  const name = hostName(host);
  const viaAccessPoint = accessPoints.get(name);
  if (viaAccessPoint !== undefined) return { bucket: viaAccessPoint, key: wholePathKey(decoded), hostBucket: null };
  const suffix = '.' + virtualHostSuffix.toLowerCase();
  if (name.endsWith(suffix) && name.length > suffix.length) {
    const bucket = name.slice(0, -suffix.length);
    return { bucket, key: wholePathKey(decoded), hostBucket: bucket };
  }
  const rest = decoded.slice(1);
  if (rest === '') return { bucket: undefined, key: undefined, hostBucket: null };
  const slash = rest.indexOf('/');
  if (slash < 0) return { bucket: rest, key: undefined, hostBucket: null };
  const key = rest.slice(slash + 1);
  return { bucket: rest.slice(0, slash), key: key === '' ? undefined : key, hostBucket: null };
}

export function resolveMediaStoreKey(wirePath: string): string {
  const decoded = percentDecode(wirePath);
  if (decoded === undefined || !decoded.startsWith('/')) throw invalidUri();
  return decoded.slice(1);
}
