import { hmacSha1Base64 } from '../hash.js';
import { uriEncode } from '../uri-encode.js';
import type { Credentials, WireRequest } from '../types.js';
import { headerModeDateSlot, stringToSignV2 } from './string-to-sign.js';

export interface V2Debug {
  readonly stringToSign: string;
  readonly signature: string;
}

function secretOf(credentials: Credentials): string {
  if (credentials.secretAccessKey === undefined) {
    throw new Error(`SigV2 needs a secret access key; credentials ${credentials.accessKeyId} have only a pre-derived SigV4 key`);
  }
  return credentials.secretAccessKey;
}

export interface V2HeaderResult extends V2Debug {
  /** Headers to add, `authorization` last. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly authorization: string;
}

/**
 * SigV2 with `Authorization: AWS AKID:signature`. The date travels as `x-amz-date` (so the Date
 * slot is empty): a CDN or proxy in between may rewrite `Date`, never an `x-amz-*` header.
 */
export function signV2Header(req: WireRequest, credentials: Credentials, opts: { bucket: string | undefined; httpDate: string }): V2HeaderResult {
  const added: Array<[string, string]> = [['x-amz-date', opts.httpDate]];
  if (credentials.sessionToken) added.push(['x-amz-security-token', credentials.sessionToken]);
  const headers = [...req.headers, ...added];
  const sts = stringToSignV2({ ...req, headers, bucket: opts.bucket, dateSlot: headerModeDateSlot(headers) });
  const signature = hmacSha1Base64(secretOf(credentials), sts);
  const authorization = `AWS ${credentials.accessKeyId}:${signature}`;
  added.push(['authorization', authorization]);
  return { headers: added, authorization, stringToSign: sts, signature };
}

export interface V2PresignResult extends V2Debug {
  /** The full query string to send, without `?`. */
  readonly query: string;
}

/**
 * SigV2 in the query string: `AWSAccessKeyId`, `Expires` (epoch seconds, also the Date slot) and
 * `Signature`. A session token goes in the query as `x-amz-security-token` and, being an amz
 * header for S3's purposes, into the string to sign.
 */
export function presignV2(req: WireRequest, credentials: Credentials, opts: { bucket: string | undefined; expiresEpoch: number }): V2PresignResult {
  const headers = credentials.sessionToken ? [...req.headers, ['x-amz-security-token', credentials.sessionToken] as const] : req.headers;
  const sts = stringToSignV2({ ...req, headers, bucket: opts.bucket, dateSlot: String(opts.expiresEpoch) });
  const signature = hmacSha1Base64(secretOf(credentials), sts);
  let auth = `AWSAccessKeyId=${uriEncode(credentials.accessKeyId)}&Expires=${opts.expiresEpoch}`;
  if (credentials.sessionToken) auth += `&x-amz-security-token=${uriEncode(credentials.sessionToken)}`;
  auth += `&Signature=${uriEncode(signature)}`;
  return { query: req.query === '' ? auth : `${req.query}&${auth}`, stringToSign: sts, signature };
}
