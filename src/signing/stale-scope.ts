import type { Credentials } from './types.js';

/**
 * Why a pre-derived key cannot sign a request dated `amzDate`, if it cannot: S3 refuses a
 * credential scope dated another day than X-Amz-Date. The proxy (503) and `presign` (exit 2)
 * both refuse with this reason rather than hand out a request the store will reject.
 */
export function staleScopeReason(credentials: Credentials, amzDate: string): string | undefined {
  const scopeDate = credentials.keyScope?.slice(0, 8);
  if (scopeDate === undefined || scopeDate === amzDate.slice(0, 8)) return undefined;
  return `the pre-derived signing key is for ${scopeDate} and cannot sign a request dated ${amzDate.slice(0, 8)}; derive a key for today`;
}
