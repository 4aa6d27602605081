// Shared pieces of the viewer-access tests: the CloudFront vector file, its test-only keys as
// KeyObjects and temp PEM files, a strict origin + CLI proxy with `access:` rules, and readers for
// the 403 body and the access-denied metric. Nothing here uses src/access: the tests' independent
// decoding (CloudFront base64, policy text) lives here too.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { startStrictOrigin, type StrictOrigin } from '@origin-signer/strict-origin';
import { blockFor, startProxyCli, type ProxyProcess } from './proxy-cli.js';
import type { Res } from './origin-client.js';
import { accessLineFor } from './access-lines.js';
import { fixture } from './paths.js';

export interface CfKey {
  readonly type: 'RSA' | 'EC';
  readonly pem: string;
}

export interface CfVector {
  readonly id: string;
  readonly kind: 'cloudfront-url' | 'cloudfront-cookies';
  readonly policy_type: 'canned' | 'custom';
  readonly verify_only?: boolean;
  readonly input: {
    readonly url: string;
    readonly resource: string;
    readonly key_pair_id: string;
    readonly private_key: string;
    readonly public_key: string;
    readonly hash_algorithm: 'SHA1' | 'SHA256';
    readonly date_less_than: number;
    readonly date_greater_than?: number;
    readonly ip_address?: string;
  };
  readonly expected: {
    readonly policy: string;
    readonly policy_b64?: string;
    readonly signature: string | null;
    readonly query_params?: Readonly<Record<string, string>>;
    readonly cookies?: Readonly<Record<string, string>>;
    readonly url?: string;
  };
}

export interface CfErrorCase {
  readonly id: string;
  readonly input: {
    readonly resource: string;
    readonly keyPairId: string;
    readonly privateKeyFile: string;
    readonly expirationDate?: number;
    readonly activeDate?: number;
    readonly ipRange?: string;
    readonly hashAlgorithm?: 'SHA1' | 'SHA256';
  };
  readonly expected: { readonly error: true; readonly errorContains: readonly string[] };
}

export interface CfVectorFile {
  readonly keys: Readonly<Record<string, CfKey>>;
  readonly url_safe_base64_examples: ReadonlyArray<{ id: string; bytes_hex: string; standard_base64: string; cloudfront_base64: string }>;
  readonly vectors: readonly CfVector[];
  readonly error_cases: readonly CfErrorCase[];
}

export const CF: CfVectorFile = JSON.parse(readFileSync(fixture('vectors/cloudfront-signed-urls.json'), 'utf8')) as CfVectorFile;

export const DISTRIBUTION = 'https://d111111abcdef8.cloudfront.net';

export function keyPem(name: string): string {
  const k = CF.keys[name];
  if (!k) throw new Error(`no key ${name} in the vector file`);
  return k.pem;
}
export const privateKeyOf = (name: string): KeyObject => createPrivateKey(keyPem(name));
export const publicKeyOf = (name: string): KeyObject => createPublicKey(keyPem(name));

/** The vector file's keys by role. */
export const RSA1024 = { id: 'K1TESTKEY', priv: 'aws-cli-test-rsa-1024', pub: 'aws-cli-test-rsa-1024-public' } as const;
export const RSA2048 = { id: 'K2JCJMDEHXQW5F', priv: 'generated-rsa-2048', pub: 'generated-rsa-2048-public' } as const;
export const ECDSA = { id: 'K2ECDSATEST', priv: 'aws-cli-test-ecdsa-p256', pub: 'aws-cli-test-ecdsa-p256-public' } as const;

/** CloudFront's URL-safe base64, decoded by hand (not with src/access). */
export function cfDecode(text: string): Buffer {
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64');
}
export function cfEncode(bytes: Buffer | string): string {
  return Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/=/g, '_').replace(/\//g, '~');
}

/** One character of a base64 text replaced (at a position whose bits all count). */
export function flipChar(text: string, at = 10): string {
  const c = text[at];
  return text.slice(0, at) + (c === 'A' ? 'B' : 'A') + text.slice(at + 1);
}

/** A temp dir removed after the test. */
export function tempDir(t: TestContext, prefix = 'os-access-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeFile(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A `signedUrls.keys` map naming the RSA 2048 key, its public PEM in a temp file. */
export function rsa2048Keys(t: TestContext): Record<string, string> {
  return { [RSA2048.id]: writeFile(tempDir(t), 'rsa2048-public.pem', keyPem(RSA2048.pub)) };
}

export const nowSec = (): number => Math.floor(Date.now() / 1000);

/** Query string of a URL as ordered [name, value] pairs (values percent-decoded). */
export function queryPairs(url: string): Array<[string, string]> {
  const q = url.indexOf('?');
  if (q === -1) return [];
  return url
    .slice(q + 1)
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq === -1 ? [p, ''] : [p.slice(0, eq), decodeURIComponent(p.slice(eq + 1))];
    });
}

/** Path and query of an absolute URL, exactly as written (no normalisation). */
export function pathAndQuery(url: string): string {
  const m = /^[a-z]+:\/\/[^/]+(\/.*)$/i.exec(url);
  if (!m) throw new Error(`not an absolute URL: ${url}`);
  return m[1]!;
}

/**
 * The reason of an OS_ERR_ACCESS_DENIED answer, after checking its shape: the body says only
 * "access denied" (a prober learns nothing of which rule failed); the reason is the `denied`
 * field of the request's access line, found by the body's request id.
 */
export async function deniedReason(proxy: ProxyProcess, res: Res): Promise<string> {
  if (res.status !== 403) throw new Error(`expected 403, got ${res.status}: ${res.text.slice(0, 300)}`);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  if (body.error !== 'OS_ERR_ACCESS_DENIED') throw new Error(`expected OS_ERR_ACCESS_DENIED: ${res.text}`);
  if (body.message !== 'access denied' || 'reason' in body) throw new Error(`the body says more than "access denied": ${res.text}`);
  return String((await accessLineFor(proxy, body.requestId)).denied);
}

/** Every `origin_signer_access_denied_total` sample: "block|reason" → value. */
export async function deniedMetric(proxy: ProxyProcess): Promise<Map<string, number>> {
  const text = await (await fetch(`${proxy.adminUrl}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^origin_signer_access_denied_total\{([^}]*)\}\s+(\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...m[1]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    out.set(`${labels.block}|${labels.reason}`, Number(m[2]));
  }
  return out;
}

export const ORIGIN_KEYS = { accessKeyId: 'AKIDACCESSE2E000001', secretAccessKey: 'access/e2e+secret=KEY/0123456789' };
export const ORIGIN_BUCKET = 'access-bucket';

/** A strict origin holding `objects` (key → body), closed after the test. */
export async function accessOrigin(t: TestContext, objects: Record<string, string>): Promise<StrictOrigin> {
  const origin = await startStrictOrigin({ credentials: [ORIGIN_KEYS], buckets: [ORIGIN_BUCKET] });
  t.after(() => origin.close());
  for (const [key, body] of Object.entries(objects)) await origin.putObject(ORIGIN_BUCKET, key, body, { contentType: 'text/plain' });
  return origin;
}

/** A v4 header-mode block on the strict origin, with the given `access:` (or none). */
export function accessBlock(origin: StrictOrigin, path: string, access?: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return blockFor(origin.port, {
    path,
    bucket: ORIGIN_BUCKET,
    version: 'v4',
    mode: 'header',
    credentials: ORIGIN_KEYS,
    extra: { ...(access ? { access } : {}), ...extra },
  });
}

/** The CLI proxy on 127.0.0.1 with these blocks (and optional top-level keys). */
export function accessProxy(t: TestContext, proxies: Array<Record<string, unknown>>, top: Record<string, unknown> = {}): Promise<ProxyProcess> {
  const { server, ...rest } = top as { server?: Record<string, unknown> };
  return startProxyCli(t, { server: { host: '127.0.0.1', port: 0, ...(server ?? {}) }, ...rest, proxies });
}
