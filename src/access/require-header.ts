import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A shared secret header the CDN adds (CloudFront "origin custom headers"), compared in constant
 * time against every configured value, so a secret can be rotated by listing the old and the new
 * one for a while. Comparing SHA-256 digests keeps the time independent of lengths too.
 */
export function secretHeaderMatcher(values: readonly string[]): (given: string | undefined) => boolean {
  const digests = values.map((v) => createHash('sha256').update(v).digest());
  return (given) => {
    if (given === undefined) return false;
    const d = createHash('sha256').update(given).digest();
    let ok = false;
    for (const want of digests) ok = timingSafeEqual(d, want) || ok;
    return ok;
  };
}
