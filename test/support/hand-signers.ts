/**
 * Signers written by hand from the AWS documentation (not from src/), for requests aws4 never
 * makes: SigV4 over a non-canonical path spelling, SigV2, aws-chunked frames with chained
 * chunk signatures.
 */
import { createHmac } from 'node:crypto';
import { sha256Hex } from './generated-body.js';
import { CREDS, type Creds, type S3Opts } from './origin-client.js';
import { awsChunkedFrames, chunksOf } from './aws-chunked-frames.js';

const hmac = (key: Buffer | string, s: string): Buffer => createHmac('sha256', key).update(s, 'utf8').digest();

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac('AWS4' + secret, date), region), service), 'aws4_request');
}

/**
 * SigV4 header auth computed by hand over an explicit canonical URI — used to
 * produce a signature over a *non-canonical* path spelling, which aws4 never does.
 */
export function signV4ByHand(o: {
  method: string;
  canonicalUri: string;
  canonicalQuery?: string;
  host: string;
  amzDate: string;
  payloadHash: string;
  creds?: Creds;
  region?: string;
}): Record<string, string> {
  const creds = o.creds ?? CREDS;
  const region = o.region ?? 'us-east-1';
  const signedHeaders = 'host;x-amz-content-sha256;x-amz-date';
  const canonical = [
    o.method,
    o.canonicalUri,
    o.canonicalQuery ?? '',
    `host:${o.host}\nx-amz-content-sha256:${o.payloadHash}\nx-amz-date:${o.amzDate}\n`,
    signedHeaders,
    o.payloadHash,
  ].join('\n');
  const scope = `${o.amzDate.slice(0, 8)}/${region}/s3/aws4_request`;
  const sts = ['AWS4-HMAC-SHA256', o.amzDate, scope, sha256Hex(canonical)].join('\n');
  const sig = createHmac('sha256', signingKey(creds.secretAccessKey, o.amzDate.slice(0, 8), region, 's3')).update(sts).digest('hex');
  return {
    Host: o.host,
    'x-amz-date': o.amzDate,
    'x-amz-content-sha256': o.payloadHash,
    Authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${sig}`,
  };
}

/**
 * SigV2 StringToSign (https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html;
 * path-style, no sub-resources needed by the tests).
 */
export function sigV2StringToSign(o: {
  method: string;
  contentMd5?: string;
  contentType?: string;
  date: string;
  amzHeaders?: Record<string, string>;
  resource: string;
}): string {
  const amz = Object.entries(o.amzHeaders ?? {})
    .map(([k, v]) => [k.toLowerCase(), v.trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}:${v}\n`)
    .join('');
  return `${o.method}\n${o.contentMd5 ?? ''}\n${o.contentType ?? ''}\n${o.date}\n${amz}${o.resource}`;
}

export const sigV2 = (secret: string, sts: string): string => createHmac('sha1', secret).update(sts, 'utf8').digest('base64');

/** Frames `data` as aws-chunked with chunk signatures chained from `seedSignature`. */
export function awsChunked(
  data: Buffer,
  chunkSize: number,
  o: { seedSignature: string; amzDate: string; creds?: Creds; region?: string },
): Buffer {
  const creds = o.creds ?? CREDS;
  const region = o.region ?? 'us-east-1';
  const key = signingKey(creds.secretAccessKey, o.amzDate.slice(0, 8), region, 's3');
  const scope = `${o.amzDate.slice(0, 8)}/${region}/s3/aws4_request`;
  let prev = o.seedSignature;
  const signatureOf = (chunk: Buffer): string => {
    const sts = ['AWS4-HMAC-SHA256-PAYLOAD', o.amzDate, scope, prev, sha256Hex(''), sha256Hex(chunk)].join('\n');
    prev = createHmac('sha256', key).update(sts).digest('hex');
    return prev;
  };
  return awsChunkedFrames(chunksOf(data, chunkSize), { signatureOf });
}

/** Length of the aws-chunked framing of `size` bytes in `chunkSize` chunks. */
export function awsChunkedLength(size: number, chunkSize: number): number {
  let total = 0;
  const sizes: number[] = [];
  for (let i = 0; i < size; i += chunkSize) sizes.push(Math.min(chunkSize, size - i));
  sizes.push(0);
  for (const n of sizes) total += `${n.toString(16)};chunk-signature=`.length + 64 + 2 + n + 2;
  return total;
}

/**
 * A SigV2-signed wire request, the shape `signAws4` gives (path-style, the path's own sub-resources
 * left unsigned): `Date` and `Authorization: AWS id:signature`, or `AWSAccessKeyId`, `Expires` and
 * `Signature` in the query; a session token as `x-amz-security-token`, header or parameter.
 */
export function signV2(port: number, o: S3Opts): { path: string; headers: Record<string, string> } {
  const creds = o.creds ?? CREDS;
  const method = o.method ?? 'GET';
  const amzHeaders: Record<string, string> = Object.fromEntries(Object.entries(o.headers ?? {}).filter(([k]) => k.toLowerCase().startsWith('x-amz-')));
  if (creds.sessionToken) amzHeaders['x-amz-security-token'] = creds.sessionToken;
  const resource = o.path.split('?')[0]!;
  const headers: Record<string, string> = { Host: o.host ?? `127.0.0.1:${port}`, ...(o.headers ?? {}) };
  if (o.signQuery) {
    const expires = String(Math.floor(Date.now() / 1000) + 300);
    const signature = sigV2(creds.secretAccessKey, sigV2StringToSign({ method, date: expires, amzHeaders, resource }));
    const token = creds.sessionToken ? `&x-amz-security-token=${encodeURIComponent(creds.sessionToken)}` : '';
    return { path: `${o.path}${o.path.includes('?') ? '&' : '?'}AWSAccessKeyId=${creds.accessKeyId}&Expires=${expires}${token}&Signature=${encodeURIComponent(signature)}`, headers };
  }
  const date = new Date().toUTCString();
  const signature = sigV2(creds.secretAccessKey, sigV2StringToSign({ method, date, amzHeaders, resource }));
  return { path: o.path, headers: { ...headers, Date: date, ...(creds.sessionToken ? { 'x-amz-security-token': creds.sessionToken } : {}), Authorization: `AWS ${creds.accessKeyId}:${signature}` } };
}
