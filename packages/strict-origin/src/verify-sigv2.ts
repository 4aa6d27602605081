/**
 * An independent implementation of S3's REST authentication, Signature
 * Version 2 (HMAC-SHA1), for both the Authorization header and query strings.
 *
 * Rules from "Signing and Authenticating REST Requests"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html):
 *
 *   StringToSign = HTTP-Verb + "\n" + Content-MD5 + "\n" + Content-Type + "\n"
 *                  + Date + "\n" + CanonicalizedAmzHeaders + CanonicalizedResource
 *
 *  - Date is empty when an `x-amz-date` header is sent (x-amz-date then appears
 *    among the amz headers); in query-string auth it is the `Expires` value.
 *    (The Delete example on that page contradicts its own rule; the rule is
 *    followed here — see the test notes on the `doc_inconsistent` vectors.)
 *  - CanonicalizedAmzHeaders: every `x-amz-*` header, name lower-cased, sorted,
 *    repeated values joined with "," (no spaces), folded whitespace unfolded,
 *    whitespace around the value trimmed, each line ending in "\n". In
 *    query-string auth, `x-amz-*` query parameters (e.g. x-amz-security-token)
 *    count as amz headers.
 *  - CanonicalizedResource: "/" + bucket when the bucket came from the Host
 *    (virtual-hosted or CNAME), then the path exactly as sent (still
 *    percent-encoded, in its original case), then the sub-resources below,
 *    sorted by name, "&"-joined, values decoded.
 */
import { createHmac } from 'node:crypto';
import { checkSessionToken, lookupCredential } from './credentials.js';
import { isoSeconds, parseV2Date } from './dates.js';
import { headerJoined, headerValues, type HeaderList } from './headers.js';
import { queryCount, queryGet, queryParamsOf, type QueryParam } from './query.js';
import { S3Error, accessDenied, hexBytes, invalidArgument, requestTimeTooSkewed, signatureMismatch } from './s3-errors.js';
import { safeEqual } from './sha256.js';
import type { CredentialLookup, OriginCredential, SignableRequest } from './types.js';

/** The sub-resources that are part of the SigV2 CanonicalizedResource. */
export const V2_SUBRESOURCES = new Set([
  'acl',
  'cors',
  'delete',
  'lifecycle',
  'location',
  'logging',
  'notification',
  'partNumber',
  'policy',
  'requestPayment',
  'restore',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
]);

export interface SigV2Policy {
  lookup: CredentialLookup;
  now: number;
  maxSkewMs: number;
  /** The bucket when it came from the Host header (virtual-hosted / CNAME); null for path-style. */
  bucket: string | null;
}

export interface VerifiedSigV2 {
  auth: 'v2-header' | 'v2-query';
  accessKeyId: string;
  credential: OriginCredential;
  stringToSign: string;
}

export function canonicalizedAmzHeaders(headers: HeaderList, extra: ReadonlyArray<readonly [string, string]> = []): string {
  const byName = new Map<string, string[]>();
  const add = (name: string, value: string): void => {
    const n = name.toLowerCase();
    // Unfold (RFC 2616 §4.2 LWS) and trim around the value.
    const v = value.replace(/\s*\r?\n\s*/g, ' ').trim();
    const list = byName.get(n) ?? [];
    list.push(v);
    byName.set(n, list);
  };
  for (const [name, value] of headers) if (name.toLowerCase().startsWith('x-amz-')) add(name, value);
  for (const [name, value] of extra) add(name, value);
  return [...byName.keys()]
    .sort()
    .map((n) => `${n}:${(byName.get(n) as string[]).join(',')}\n`)
    .join('');
}

export function canonicalizedResource(wirePath: string, params: readonly QueryParam[], bucket: string | null): string {
  const sub = params
    .filter((p) => V2_SUBRESOURCES.has(p.key))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) => (p.hasValue ? `${p.key}=${p.value}` : p.key));
  return (bucket !== null ? '/' + bucket : '') + wirePath + (sub.length > 0 ? '?' + sub.join('&') : '');
}

export function stringToSignV2(
  req: SignableRequest,
  params: readonly QueryParam[],
  bucket: string | null,
  dateSlot: string,
  extraAmz: ReadonlyArray<readonly [string, string]> = [],
): string {
  return [
    req.method,
    (headerJoined(req.headers, 'content-md5') ?? '').trim(),
    (headerJoined(req.headers, 'content-type') ?? '').trim(),
    dateSlot,
    canonicalizedAmzHeaders(req.headers, extraAmz) + canonicalizedResource(req.path, params, bucket),
  ].join('\n');
}

export function signV2(secret: string, stringToSign: string): string {
  return createHmac('sha1', Buffer.from(secret, 'utf8')).update(stringToSign, 'utf8').digest('base64');
}

/** S3's SigV2 SignatureDoesNotMatch, with its StringToSign diagnostics. */
export function signatureDoesNotMatchV2(akid: string, provided: string, sts: string): S3Error {
  return signatureMismatch([
    ['AWSAccessKeyId', akid],
    ['StringToSign', sts],
    ['SignatureProvided', provided],
    ['StringToSignBytes', hexBytes(sts)],
  ]);
}

/** Verifies `Authorization: AWS AKID:base64(HMAC-SHA1)`. */
export function verifySigV2Header(req: SignableRequest, policy: SigV2Policy): VerifiedSigV2 {
  const authz = headerValues(req.headers, 'authorization');
  const m = authz.length === 1 ? /^AWS ([^:\s]+):(\S+)$/.exec(authz[0] as string) : null;
  if (!m) throw invalidArgument("Authorization header is invalid -- one and only one ' ' (space) required", 'Authorization', authz.join(','));
  const akid = m[1] as string;
  const provided = m[2] as string;
  const params = queryParamsOf(req);

  const amzDate = headerJoined(req.headers, 'x-amz-date');
  const date = headerJoined(req.headers, 'date');
  const when = amzDate !== undefined ? parseV2Date(amzDate) : date !== undefined ? parseV2Date(date) : undefined;
  if (when === undefined) throw accessDenied('AWS authentication requires a valid Date or x-amz-date header');
  if (Math.abs(when - policy.now) > policy.maxSkewMs) {
    throw requestTimeTooSkewed((amzDate ?? date) as string, policy.now, policy.maxSkewMs);
  }
  const cred = lookupCredential(policy.lookup, akid);
  checkSessionToken(cred, headerJoined(req.headers, 'x-amz-security-token'));

  // With x-amz-date present the Date line is empty (x-amz-date is an amz header).
  const sts = stringToSignV2(req, params, policy.bucket, amzDate !== undefined ? '' : (date as string).trim());
  const expected = signV2(cred.secretAccessKey, sts);
  if (!safeEqual(expected, provided)) throw signatureDoesNotMatchV2(akid, provided, sts);
  return { auth: 'v2-header', accessKeyId: akid, credential: cred, stringToSign: sts };
}

/** Verifies `?AWSAccessKeyId=…&Expires=…&Signature=…` (query-string authentication). */
export function verifySigV2Query(req: SignableRequest, policy: SigV2Policy): VerifiedSigV2 {
  const params = queryParamsOf(req);
  for (const n of ['AWSAccessKeyId', 'Expires', 'Signature']) {
    if (queryCount(params, n) !== 1) {
      throw accessDenied('Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters');
    }
  }
  const akid = queryGet(params, 'AWSAccessKeyId') as string;
  const expires = queryGet(params, 'Expires') as string;
  const provided = queryGet(params, 'Signature') as string;
  if (!/^\d{1,12}$/.test(expires)) throw accessDenied('Invalid date (should be seconds since epoch): ' + expires);
  if (policy.now > Number(expires) * 1000) {
    throw accessDenied('Request has expired', [
      ['Expires', isoSeconds(Number(expires) * 1000)],
      ['ServerTime', isoSeconds(policy.now)],
    ]);
  }
  const cred = lookupCredential(policy.lookup, akid);
  // x-amz-* query parameters are amz headers for SigV2 (e.g. x-amz-security-token).
  const amzParams = params.filter((p) => p.key.toLowerCase().startsWith('x-amz-')).map((p) => [p.key, p.value] as const);
  const tokens = [
    ...headerValues(req.headers, 'x-amz-security-token'),
    ...amzParams.filter(([k]) => k.toLowerCase() === 'x-amz-security-token').map(([, v]) => v),
  ];
  if (tokens.length > 1) throw new S3Error(403, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
  checkSessionToken(cred, tokens[0]);
  const sts = stringToSignV2(req, params, policy.bucket, expires, amzParams);
  const expected = signV2(cred.secretAccessKey, sts);
  if (!safeEqual(expected, provided)) throw signatureDoesNotMatchV2(akid, provided, sts);
  return { auth: 'v2-query', accessKeyId: akid, credential: cred, stringToSign: sts };
}
