import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * A signed-URL public key from the config: PEM text, or the path of a PEM file. CloudFront key
 * groups take RSA (2048 bits) and ECDSA P-256 keys; anything else is refused at start-up.
 */
export function loadPublicKey(value: string): KeyObject {
  const pem = value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8');
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') {
    throw new Error(`a ${key.asymmetricKeyType ?? 'unknown'} key: CloudFront signs with RSA or ECDSA keys only`);
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`an EC key on ${key.asymmetricKeyDetails?.namedCurve}: CloudFront takes P-256 (prime256v1) only`);
  }
  return key;
}
