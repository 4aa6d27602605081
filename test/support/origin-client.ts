/**
 * A small HTTP client for the strict-origin tests. Signing is done by oracles
 * that are independent of the origin's verifier: `aws4` for SigV4 (header and
 * presigned), and small hand-written SigV2 / aws-chunked / raw-SigV4 signers
 * written from the AWS documentation.
 */
import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import aws4 from 'aws4';
import { startStrictOrigin, type StrictOrigin, type StrictOriginOptions } from '@origin-signer/strict-origin';
import type { TestContext } from 'node:test';
import { sha256Hex } from './generated-body.js';

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const CREDS: Creds = { accessKeyId: 'AKIDSTRICTORIGIN', secretAccessKey: 'strict/origin+secret/KEY0123456789abcdef' };
export const BUCKET = 'test-bucket';

export interface Res {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** Starts an origin for a test and closes it (and its temp dir) afterwards. */
export async function origin(t: TestContext, opts: Partial<StrictOriginOptions> = {}): Promise<StrictOrigin> {
  const o = await startStrictOrigin({ credentials: [CREDS], buckets: [BUCKET], ...opts });
  t.after(() => o.close());
  return o;
}

/**
 * A plain HTTP/1.1 request to 127.0.0.1 with exactly these headers. `unframed`: no body framing
 * at all — neither Content-Length nor Transfer-Encoding, as `curl -X POST` sends a bodiless POST
 * (node's client would add `Content-Length: 0`).
 */
export function raw(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string | number | string[]>; body?: Buffer | string; unframed?: boolean },
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    if (opts.unframed) {
      req.removeHeader('content-length');
      req.removeHeader('transfer-encoding');
    }
    req.on('error', reject);
    req.end(opts.body);
  });
}

/**
 * Writes a request byte-for-byte on a fresh socket (for framings node:http
 * will not produce, e.g. a PUT without Content-Length) and returns the status
 * line's code and the raw response text once the server closes or answers.
 */
export function rawSocket(port: number, head: string, body: Buffer | string = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = connect(port, '127.0.0.1', () => {
      sock.write(head);
      sock.end(body);
    });
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('error', reject);
    sock.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}

export interface S3Opts {
  method?: string;
  /** Wire path and query, e.g. `/bucket/key?list-type=2`. */
  path: string;
  /** Host header; default `127.0.0.1:<port>` (path-style). */
  host?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** undefined → signed with CREDS; null → anonymous. */
  creds?: Creds | null;
  signQuery?: boolean;
  region?: string;
  service?: string;
}

/** Signs with aws4 (the independent oracle) and returns the wire request. */
export function signAws4(port: number, o: S3Opts): { path: string; headers: Record<string, string> } {
  const host = o.host ?? `127.0.0.1:${port}`;
  const headers: Record<string, string> = { Host: host, ...(o.headers ?? {}) };
  if (o.creds === null) return { path: o.path, headers };
  const signed = aws4.sign(
    {
      host,
      path: o.path,
      method: o.method ?? 'GET',
      headers,
      ...(o.body !== undefined ? { body: o.body } : {}),
      service: o.service ?? 's3',
      region: o.region ?? 'us-east-1',
      ...(o.signQuery ? { signQuery: true } : {}),
    },
    o.creds ?? CREDS,
  );
  return { path: signed.path as string, headers: signed.headers as Record<string, string> };
}

/** Sends a request signed with aws4 (or anonymous) to the origin. */
export function s3(origin: StrictOrigin, o: S3Opts): Promise<Res> {
  const { path, headers } = signAws4(origin.port, o);
  return raw(origin.port, { method: o.method ?? 'GET', path, headers, ...(o.body !== undefined ? { body: o.body } : {}) });
}

/** The canonical wire encoding of an S3 key: every byte but A-Za-z0-9-._~ as %XX, `/` kept. */
export function encodeKey(key: string): string {
  return [...Buffer.from(key, 'utf8')]
    .map((b) => (/[A-Za-z0-9\-._~/]/.test(String.fromCharCode(b)) && b < 0x80 ? String.fromCharCode(b) : '%' + b.toString(16).toUpperCase().padStart(2, '0')))
    .join('');
}

/** The text of the first <name> element of an XML document (entities decoded). */
export function xmlField(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m?.[1]
    ?.replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function xmlFields(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1] as string);
}

export const md5b64 = (b: Buffer | string): string => createHash('md5').update(b).digest('base64');

export function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

// ---- hand-written signers (from the AWS documentation, not from src/) ----

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

/** SigV2 StringToSign per RESTAuthentication.html (path-style, no sub-resources needed by the tests). */
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
  const pieces: Buffer[] = [];
  let prev = o.seedSignature;
  const sizes: number[] = [];
  for (let i = 0; i < data.length; i += chunkSize) sizes.push(Math.min(chunkSize, data.length - i));
  sizes.push(0);
  let off = 0;
  for (const n of sizes) {
    const chunk = data.subarray(off, off + n);
    off += n;
    const sts = ['AWS4-HMAC-SHA256-PAYLOAD', o.amzDate, scope, prev, sha256Hex(''), sha256Hex(chunk)].join('\n');
    const sig = createHmac('sha256', key).update(sts).digest('hex');
    pieces.push(Buffer.from(`${n.toString(16)};chunk-signature=${sig}\r\n`), chunk, Buffer.from('\r\n'));
    prev = sig;
  }
  return Buffer.concat(pieces);
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
