import { readFileSync } from 'node:fs';
import { loadPrivateKey, signCloudFront, signedUrl } from '../access/sign.js';
import { CliError } from './cli-error.js';
import { expiryEpoch, parseTime } from './expires.js';

export interface SignUrlArgs {
  readonly keyPairId?: string;
  readonly privateKey?: string;
  readonly url?: string;
  /** Seconds from now. */
  readonly expires?: string;
  /** Epoch seconds or ISO 8601. */
  readonly expiresAt?: string;
  readonly notBefore?: string;
  readonly ip?: string;
  readonly policy?: string;
  readonly cookies?: boolean;
  readonly hashAlgorithm?: string;
  readonly now: () => number;
}

/** `origin-signer sign-url`: a CloudFront-compatible signed URL, or the signed cookies; one per line. */
export function signUrlCommand(a: SignUrlArgs): string {
  if (!a.keyPairId || !a.privateKey || !a.url) throw new CliError('sign-url needs --key-pair-id, --private-key and --url');
  const hash = (a.hashAlgorithm ?? 'SHA1').toUpperCase();
  if (hash !== 'SHA1' && hash !== 'SHA256') throw new CliError('--hash-algorithm is SHA1 or SHA256');
  const expires = expiryEpoch(a.expires, a.expiresAt, a.now());
  if (expires === undefined && a.policy === undefined) {
    throw new CliError('an expiry is required: --expires SECONDS (from now) or --expires-at TIME; CloudFront signed URLs always expire');
  }
  // A browser never sends the #fragment: CloudFront checks the URL without it, and the parameters go before it.
  const cut = a.url.indexOf('#');
  const resource = cut < 0 ? a.url : a.url.slice(0, cut);
  const fragment = cut < 0 ? '' : a.url.slice(cut);
  const s = signCloudFront({
    url: resource,
    keyPairId: a.keyPairId,
    privateKey: loadPrivateKey(readFileSync(a.privateKey, 'utf8')),
    hashAlgorithm: hash,
    ...(expires !== undefined ? { expires } : {}),
    ...(a.notBefore !== undefined ? { notBefore: parseTime(a.notBefore, '--not-before') } : {}),
    ...(a.ip !== undefined ? { ipRange: a.ip } : {}),
    ...(a.policy !== undefined ? { policy: readFileSync(a.policy, 'utf8').trim() } : {}),
  });
  // A URL that has already expired is refused, as presign refuses it: exit 0 would hide the mistake.
  // Checked after signing, so what CloudFront itself would refuse in the request is said first.
  if (expires !== undefined && expires <= Math.floor(a.now() / 1000)) {
    throw new CliError(a.expiresAt !== undefined ? `--expires-at ${a.expiresAt} is not in the future: the URL would already have expired` : '--expires must be at least 1 second: the URL would already have expired');
  }
  if (!a.cookies) return `${signedUrl(resource, s)}${fragment}\n`;
  return s.params.map(([k, v]) => `Set-Cookie: CloudFront-${k}=${v}; Path=/; Secure; HttpOnly`).join('\n') + '\n';
}
