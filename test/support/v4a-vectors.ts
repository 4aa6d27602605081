import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from './generated-body.js';
import { fixture } from './paths.js';

/**
 * The aws-c-auth SigV4A suite as copied into test/fixtures/vectors/sigv4a-suite/ (README there):
 * one folder per case, read as the suite lays it out.
 */
export interface V4aVector {
  readonly id: string;
  readonly request: { method: string; path: string; query: string; headers: Array<[string, string]>; body: string };
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string | undefined;
  /** The token is added after signing (not part of the signature). */
  readonly omitSessionToken: boolean;
  readonly regionSet: string;
  readonly service: string;
  readonly amzDate: string;
  readonly expires: number;
  /** SigV4's generic path normalisation (true) or S3's rule (false). */
  readonly normalize: boolean;
  /** The body's hash is signed (and sent as x-amz-content-sha256 in header mode). */
  readonly signBody: boolean;
  readonly publicKey: { x: string; y: string };
  readonly header: V4aExpected;
  readonly query: V4aExpected;
}

export interface V4aExpected {
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  /** Published signatures (random ECDSA nonces): to verify, not to compare. */
  readonly signatures: readonly string[];
  /** The signed request as published: its request line and headers. */
  readonly signedRequest: { target: string; headers: Array<[string, string]> };
}

const DIR = fixture('vectors/sigv4a-suite');

/** request.txt: `METHOD TARGET HTTP/1.1`, `Name:value` lines (indented lines continue the previous value), a blank line, the body. */
export function parseRequestTxt(text: string): { method: string; target: string; headers: Array<[string, string]>; body: string } {
  const lines = text.split('\n');
  // The target may hold a raw space (get-space-*): it runs from the first space to the last one.
  const first = lines[0]!;
  const method = first.slice(0, first.indexOf(' '));
  const target = first.slice(first.indexOf(' ') + 1, first.lastIndexOf(' '));
  const headers: Array<[string, string]> = [];
  let i = 1;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') break;
    if (/^[ \t]/.test(line) && headers.length > 0) {
      const last = headers[headers.length - 1]!;
      last[1] = `${last[1]}\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    headers.push([line.slice(0, colon), line.slice(colon + 1)]);
  }
  return { method, target, headers, body: lines.slice(i + 1).join('\n') };
}

const toAmzDate = (iso: string): string => iso.replace(/[-:]/g, '').replace(/\.\d+/, '');

function expected(dir: string, mode: 'header' | 'query'): V4aExpected {
  const read = (name: string): string | undefined => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : undefined);
  const signed = parseRequestTxt(read(`${mode}-signed-request.txt`)!);
  const signatures: string[] = [];
  const own = read(`${mode}-signature.txt`)?.trim();
  if (own) signatures.push(own);
  const inRequest =
    mode === 'header'
      ? /Signature=([0-9a-f]+)/.exec(signed.headers.find(([n]) => n.toLowerCase() === 'authorization')?.[1] ?? '')?.[1]
      : new URLSearchParams(signed.target.slice(signed.target.indexOf('?') + 1)).get('X-Amz-Signature');
  if (inRequest) signatures.push(inRequest);
  return {
    canonicalRequest: read(`${mode}-canonical-request.txt`)!,
    stringToSign: read(`${mode}-string-to-sign.txt`)!,
    signatures,
    signedRequest: { target: signed.target, headers: signed.headers },
  };
}

export function loadV4aVectors(): V4aVector[] {
  return readdirSync(DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((id) => {
      const dir = join(DIR, id);
      const ctx = JSON.parse(readFileSync(join(dir, 'context.json'), 'utf8')) as {
        credentials: { access_key_id: string; secret_access_key: string; token?: string };
        expiration_in_seconds: number;
        normalize: boolean;
        region: string;
        service: string;
        sign_body: boolean;
        timestamp: string;
        omit_session_token?: boolean;
      };
      const req = parseRequestTxt(readFileSync(join(dir, 'request.txt'), 'utf8'));
      const q = req.target.indexOf('?');
      const pk = JSON.parse(readFileSync(join(dir, 'public-key.json'), 'utf8')) as { X: string; Y: string };
      return {
        id,
        request: { method: req.method, path: q === -1 ? req.target : req.target.slice(0, q), query: q === -1 ? '' : req.target.slice(q + 1), headers: req.headers, body: req.body },
        accessKeyId: ctx.credentials.access_key_id,
        secretAccessKey: ctx.credentials.secret_access_key,
        sessionToken: ctx.credentials.token,
        omitSessionToken: ctx.omit_session_token === true,
        regionSet: ctx.region,
        service: ctx.service,
        amzDate: toAmzDate(ctx.timestamp),
        expires: ctx.expiration_in_seconds,
        normalize: ctx.normalize,
        signBody: ctx.sign_body,
        publicKey: { x: pk.X.toLowerCase(), y: pk.Y.toLowerCase() },
        header: expected(dir, 'header'),
        query: expected(dir, 'query'),
      };
    });
}

/** The payload hash a vector signs: the body's SHA-256 with sign_body, else the empty body's. */
export function payloadHashOf(v: V4aVector): string {
  return sha256Hex(v.signBody ? v.request.body : '');
}
