import { sha256Hex } from '../hash.js';
import { V4_ALGORITHM } from '../types.js';

/** `yyyymmdd/region/service/aws4_request`. */
export function credentialScope(dateStamp: string, region: string, service: string): string {
  return `${dateStamp}/${region}/${service}/aws4_request`;
}

/** StringToSign = algorithm, request date, credential scope, hex SHA-256 of the canonical request. */
export function stringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return `${V4_ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}
