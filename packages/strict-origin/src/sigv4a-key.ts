/**
 * The P-256 public key SigV4A signatures are checked with, derived from the credentials the origin
 * knows. The derivation is written here from its description (aws-c-auth
 * source/key_derivation.c): HMAC-SHA256 keyed "AWS4A" + secret over 0x00000001 ||
 * "AWS4-ECDSA-P256-SHA256" || 0x00 || access key id || counter || 0x00000100; the first output
 * ≤ n − 2, plus one, is the private scalar; the public point is Node's ECDH (d·G).
 */
import { createECDH, createHmac, createPublicKey, type KeyObject } from 'node:crypto';
import type { OriginCredential } from './types.js';
import { ALGORITHM_V4A } from './v4-variants.js';

const N_MINUS_2 = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc63254f', 'hex');

/** The P-256 public key of a set of credentials (see the file comment). */
export function sigV4aPublicKey(accessKeyId: string, secretAccessKey: string): KeyObject {
  const hmacKey = Buffer.concat([Buffer.from('AWS4A'), Buffer.from(secretAccessKey)]);
  for (let counter = 1; counter <= 254; counter++) {
    const input = Buffer.concat([Buffer.from('00000001', 'hex'), Buffer.from(ALGORITHM_V4A), Buffer.of(0), Buffer.from(accessKeyId), Buffer.of(counter), Buffer.from('00000100', 'hex')]);
    const k0 = createHmac('sha256', hmacKey).update(input).digest();
    if (Buffer.compare(k0, N_MINUS_2) > 0) continue;
    // d = k0 + 1, byte by byte from the end (k0 ≤ n − 2, so no carry leaves the top byte).
    const d = Buffer.from(k0);
    for (let i = d.length - 1; i >= 0; i--) {
      d[i] = (d[i]! + 1) & 0xff;
      if (d[i] !== 0) break;
    }
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(d);
    const point = ecdh.getPublicKey();
    return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') }, format: 'jwk' });
  }
  throw new Error('SigV4A key derivation found no candidate');
}

/** Derived public keys, per access key id and secret (the origin's credentials change only in tests). */
const publicKeys = new Map<string, KeyObject>();

export function publicKeyFor(cred: OriginCredential): KeyObject {
  const id = `${cred.accessKeyId}\0${cred.secretAccessKey}`;
  let key = publicKeys.get(id);
  if (!key) {
    key = sigV4aPublicKey(cred.accessKeyId, cred.secretAccessKey);
    if (publicKeys.size > 256) publicKeys.clear();
    publicKeys.set(id, key);
  }
  return key;
}
