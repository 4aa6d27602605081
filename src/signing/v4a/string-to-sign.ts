import { sha256Hex } from '../hash.js';
import { V4A_ALGORITHM } from '../types.js';

/**
 * `yyyymmdd/service/aws4_request`: SigV4A's credential scope has no region — the regions a
 * signature is good for travel as the region set (`X-Amz-Region-Set`), signed with the rest.
 */
export function v4aCredentialScope(dateStamp: string, service: string): string {
  return `${dateStamp}/${service}/aws4_request`;
}

/** StringToSign = `AWS4-ECDSA-P256-SHA256`, request date, scope, hex SHA-256 of the canonical request. */
export function v4aStringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return `${V4A_ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}
