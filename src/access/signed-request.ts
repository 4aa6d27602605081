import { verify, type KeyObject } from 'node:crypto';
import { fromCloudFrontBase64 } from './cloudfront-base64.js';
import { cannedPolicy, ipInRange, parsePolicy, resourceMatches } from './policy.js';

/** Why a signed URL or cookie set was refused (also the metric label). */
export type SignatureFailure = 'missing signature' | 'unknown key pair' | 'bad signature' | 'expired' | 'not yet valid' | 'ip not allowed' | 'wrong resource';

/** The CloudFront parameters of a request, from its query string or its cookies. */
export interface SignedParams {
  readonly signature?: string;
  readonly keyPairId?: string;
  readonly expires?: string;
  readonly policy?: string;
  readonly hashAlgorithm?: string;
}

export interface VerifyContext {
  /** The URL the viewer asked for, signing parameters removed: what a canned policy names. */
  readonly url: string;
  readonly clientIp: string;
  /** Seconds since the epoch (injected clock). */
  readonly now: number;
  readonly keys: ReadonlyMap<string, KeyObject>;
}

const HASHES: Record<string, string> = { SHA1: 'sha1', SHA256: 'sha256' };

/**
 * CloudFront's check of a signed URL or signed cookies
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-signed-urls.html):
 * the signature over the exact policy bytes (canned: rebuilt from the URL; custom: as sent),
 * RSA PKCS#1 v1.5 or ECDSA (SHA-256 only) with SHA-1 by default or SHA-256 when asked, then the
 * policy's resource, dates and source IP.
 */
export function verifySigned(p: SignedParams, ctx: VerifyContext): SignatureFailure | undefined {
  if (!p.signature || !p.keyPairId || (!p.policy && !p.expires)) return 'missing signature';
  const key = ctx.keys.get(p.keyPairId);
  if (!key) return 'unknown key pair';
  const hash = HASHES[(p.hashAlgorithm ?? 'SHA1').toUpperCase()];
  // ECDSA with SHA-1 is not something CloudFront accepts (aws-cli refuses to make it).
  if (!hash || (key.asymmetricKeyType === 'ec' && hash !== 'sha256')) return 'bad signature';
  const signature = fromCloudFrontBase64(p.signature);
  if (!signature) return 'bad signature';

  let policyJson: string;
  if (p.policy) {
    const bytes = fromCloudFrontBase64(p.policy);
    if (!bytes) return 'bad signature';
    policyJson = bytes.toString('utf8');
  } else {
    if (!/^\d{1,12}$/.test(p.expires!)) return 'bad signature';
    policyJson = cannedPolicy(ctx.url, Number(p.expires));
  }
  let valid = false;
  try {
    valid = verify(hash, Buffer.from(policyJson, 'utf8'), key, signature);
  } catch {
    valid = false;
  }
  if (!valid) return 'bad signature';

  const policy = parsePolicy(policyJson);
  if (!policy) return 'bad signature';
  if (policy.resource !== undefined && !resourceMatches(policy.resource, ctx.url)) return 'wrong resource';
  if (ctx.now >= policy.dateLessThan) return 'expired';
  if (policy.dateGreaterThan !== undefined && ctx.now < policy.dateGreaterThan) return 'not yet valid';
  if (policy.sourceIp !== undefined && !ipInRange(ctx.clientIp, policy.sourceIp)) return 'ip not allowed';
  return undefined;
}
