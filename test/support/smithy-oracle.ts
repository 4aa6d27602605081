// @smithy/signature-v4 as an independent oracle (dev-only): what the AWS SDK for JavaScript v3
// would sign for the same request. S3 settings: the path is used as given (uriEscapePath: false),
// no checksum header is added on its own.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';

export interface OracleRequest {
  method: string;
  hostname: string;
  /** The wire path (already encoded once). */
  path: string;
  /** Decoded query, repeated keys as arrays. */
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
}

export interface OracleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

function signer(c: OracleCredentials, region: string, service: string, uriEscapePath = false): SignatureV4 {
  return new SignatureV4({ credentials: c, region, service, sha256: Sha256, uriEscapePath, applyChecksum: false });
}

/** Header-mode Authorization value smithy computes; x-amz-content-sha256 must be in `headers`. */
export async function smithyAuthorization(r: OracleRequest, c: OracleCredentials, region: string, service: string, date: Date): Promise<string> {
  const req = new HttpRequest({ method: r.method, protocol: 'https:', hostname: r.hostname, path: r.path, query: r.query, headers: r.headers });
  const signed = await signer(c, region, service).sign(req, { signingDate: date, signableHeaders: new Set(Object.keys(r.headers).map((h) => h.toLowerCase())) });
  return String(signed.headers.authorization);
}

/** S3 presigned X-Amz-Signature smithy computes (payload UNSIGNED-PAYLOAD, only `host` signed). */
export async function smithyPresignSignature(r: OracleRequest, c: OracleCredentials, region: string, service: string, date: Date, expiresIn: number): Promise<string> {
  const headers = { ...r.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
  const req = new HttpRequest({ method: r.method, protocol: 'https:', hostname: r.hostname, path: r.path, query: r.query, headers });
  const skip = new Set(['x-amz-content-sha256']);
  const signed = await signer(c, region, service).presign(req, { signingDate: date, expiresIn, unsignableHeaders: skip, unhoistableHeaders: skip });
  return String(signed.query?.['X-Amz-Signature']);
}
