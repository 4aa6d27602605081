import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { toCloudFrontBase64 } from './cloudfront-base64.js';
import { parseCidr } from '../http/cidr.js';
import { cannedPolicy } from './policy.js';

export interface SignOptions {
  readonly url: string;
  readonly keyPairId: string;
  readonly privateKey: KeyObject;
  /** Epoch seconds; required (CloudFront has no unlimited signed URL). */
  readonly expires?: number;
  readonly notBefore?: number;
  readonly ipRange?: string;
  /** A custom policy's exact JSON; when set, the other conditions must not be. */
  readonly policy?: string;
  readonly hashAlgorithm?: 'SHA1' | 'SHA256';
}

export interface Signed {
  /** The policy JSON the signature covers. */
  readonly policy: string;
  readonly canned: boolean;
  readonly signature: string;
  /** Parameters to add to the URL (or, prefixed `CloudFront-`, the cookies). */
  readonly params: ReadonlyArray<readonly [string, string]>;
}

/** CloudFront signs with RSA or ECDSA P-256 keys; anything else is refused before signing. */
function checkPrivateKey(key: KeyObject): void {
  if (key.type !== 'private') throw new Error('signing needs a private key');
  if (key.asymmetricKeyType === 'rsa') return;
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return;
  throw new Error(`the private key is ${key.asymmetricKeyType ?? 'of an unknown type'}${key.asymmetricKeyType === 'ec' ? ` on ${key.asymmetricKeyDetails?.namedCurve}` : ''}: CloudFront keys are RSA or ECDSA (P-256)`);
}

export function loadPrivateKey(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  checkPrivateKey(key);
  return key;
}

/** A value going into policy JSON: refused rather than escaped (aws-cli's rule), so nothing can add conditions. */
function plain(value: string, what: string): string {
  if (/["\\\u0000-\u001f]/.test(value)) throw new Error(`${what} must not contain quotes, backslashes or control characters`);
  return value;
}

/**
 * Signs like CloudFront's own signers (aws-cli `cloudfront sign`, botocore CloudFrontSigner): a
 * canned policy when only an expiry is given, else a custom one with DateLessThan, then
 * DateGreaterThan, then IpAddress; RSA PKCS#1 v1.5 or ECDSA (SHA-256 only); CloudFront base64.
 */
export function signCloudFront(o: SignOptions): Signed {
  checkPrivateKey(o.privateKey);
  const hash = o.hashAlgorithm ?? 'SHA1';
  if (o.privateKey.asymmetricKeyType === 'ec' && hash !== 'SHA256') throw new Error('ECDSA keys sign with SHA256 only (--hash-algorithm SHA256)');
  let policy: string;
  let canned = false;
  if (o.policy !== undefined) {
    if (o.expires !== undefined || o.notBefore !== undefined || o.ipRange !== undefined) throw new Error('give either a policy or expiry / not-before / ip, not both');
    policy = o.policy;
  } else {
    if (o.expires === undefined) throw new Error('an expiry is required (--expires): CloudFront signed URLs always expire');
    const resource = plain(o.url, 'the URL (resource)');
    if (o.notBefore !== undefined && o.notBefore >= o.expires) throw new Error('the active (not-before) time must be before the expiration time');
    if (o.ipRange !== undefined) {
      plain(o.ipRange, 'the IP range (--ip)');
      if (!parseCidr(o.ipRange)) throw new Error(`--ip must be an address or a CIDR range such as 192.0.2.0/24, got ${o.ipRange}`);
    }
    if (o.notBefore === undefined && o.ipRange === undefined && !resource.includes('*')) {
      policy = cannedPolicy(resource, o.expires);
      canned = true;
    } else {
      const ip = o.ipRange === undefined ? undefined : o.ipRange.includes('/') ? o.ipRange : `${o.ipRange}/${isIP(o.ipRange) === 6 ? 128 : 32}`;
      policy =
        `{"Statement":[{"Resource":${JSON.stringify(resource)},"Condition":{"DateLessThan":{"AWS:EpochTime":${o.expires}}` +
        (o.notBefore !== undefined ? `,"DateGreaterThan":{"AWS:EpochTime":${o.notBefore}}` : '') +
        (ip !== undefined ? `,"IpAddress":{"AWS:SourceIp":"${ip}"}` : '') +
        '}}]}';
    }
  }
  const signature = toCloudFrontBase64(sign(hash === 'SHA256' ? 'sha256' : 'sha1', Buffer.from(policy, 'utf8'), o.privateKey));
  const params: Array<[string, string]> = canned ? [['Expires', String(o.expires)]] : [['Policy', toCloudFrontBase64(Buffer.from(policy, 'utf8'))]];
  params.push(['Signature', signature], ['Key-Pair-Id', o.keyPairId]);
  if (hash === 'SHA256') params.push(['Hash-Algorithm', 'SHA256']);
  return { policy, canned, signature, params };
}

/** The signed URL: the parameters appended to the URL's own query. */
export function signedUrl(url: string, s: Signed): string {
  const extra = s.params.map(([k, v]) => `${k}=${v}`).join('&');
  return `${url}${url.includes('?') ? '&' : '?'}${extra}`;
}
