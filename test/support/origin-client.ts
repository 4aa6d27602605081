/**
 * A small HTTP client for the strict-origin tests. Signing is done by oracles
 * that are independent of the origin's verifier: `aws4` for SigV4 (header and
 * presigned); the hand-written SigV2 / aws-chunked / raw-SigV4 signers are in hand-signers.ts.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import aws4 from 'aws4';
import { startStrictOrigin, type StrictOrigin, type StrictOriginOptions } from '@origin-signer/strict-origin';
import type { TestContext } from 'node:test';

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

/** `YYYYMMDDTHHMMSSZ` of a time, as SigV4 dates are written. */
export function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}
