import { readFileSync } from 'node:fs';
import { loadPrivateKey, signCloudFront, signedUrl } from '../access/sign.js';

/** `--expires` / `--not-before`: epoch seconds, or an ISO 8601 date-time. */
export function parseTime(value: string, flag: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`${flag} must be epoch seconds or an ISO 8601 date-time, got "${value}"`);
  return Math.floor(ms / 1000);
}

export interface SignUrlArgs {
  readonly keyPairId?: string;
  readonly privateKey?: string;
  readonly url?: string;
  readonly expires?: string;
  readonly notBefore?: string;
  readonly ip?: string;
  readonly policy?: string;
  readonly cookies?: boolean;
  readonly hashAlgorithm?: string;
}

/** `origin-signer sign-url`: a CloudFront-compatible signed URL, or the signed cookies. */
export function signUrlCommand(a: SignUrlArgs): string {
  if (!a.keyPairId || !a.privateKey || !a.url) throw new Error('sign-url needs --key-pair-id, --private-key and --url');
  const hash = (a.hashAlgorithm ?? 'SHA1').toUpperCase();
  if (hash !== 'SHA1' && hash !== 'SHA256') throw new Error('--hash-algorithm is SHA1 or SHA256');
  const s = signCloudFront({
    url: a.url,
    keyPairId: a.keyPairId,
    privateKey: loadPrivateKey(readFileSync(a.privateKey, 'utf8')),
    hashAlgorithm: hash,
    ...(a.expires !== undefined ? { expires: parseTime(a.expires, '--expires') } : {}),
    ...(a.notBefore !== undefined ? { notBefore: parseTime(a.notBefore, '--not-before') } : {}),
    ...(a.ip !== undefined ? { ipRange: a.ip } : {}),
    ...(a.policy !== undefined ? { policy: readFileSync(a.policy, 'utf8').trim() } : {}),
  });
  if (!a.cookies) return `${signedUrl(a.url, s)}\n`;
  return s.params.map(([k, v]) => `Set-Cookie: CloudFront-${k}=${v}; Path=/; Secure; HttpOnly`).join('\n') + '\n';
}
