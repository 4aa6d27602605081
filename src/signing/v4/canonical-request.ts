import type { CanonicalHeaders } from './canonical-headers.js';

export interface CanonicalRequestParts {
  readonly method: string;
  readonly canonicalUri: string;
  readonly canonicalQuery: string;
  readonly headers: CanonicalHeaders;
  readonly payloadHash: string;
}

/**
 * The SigV4 canonical request: six lines joined by `\n`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request).
 * The canonical headers block carries its own trailing newline, hence the blank line before the
 * signed header list.
 */
export function canonicalRequest(p: CanonicalRequestParts): string {
  return `${p.method}\n${p.canonicalUri}\n${p.canonicalQuery}\n${p.headers.canonical}\n${p.headers.signedHeaders}\n${p.payloadHash}`;
}
