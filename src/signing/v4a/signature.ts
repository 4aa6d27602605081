import { sign, verify, type KeyObject } from 'node:crypto';

/**
 * The SigV4A signature: ECDSA P-256 over SHA-256 of the string to sign, DER-encoded
 * (SEQUENCE { r INTEGER, s INTEGER }, 70–72 bytes), in lower-case hex. ECDSA draws a fresh
 * random nonce per signature (OpenSSL), so two signatures of the same string differ: tests verify
 * signatures, they never compare them.
 */
export function v4aSignature(privateKey: KeyObject, stringToSign: string): string {
  return sign('sha256', Buffer.from(stringToSign, 'utf8'), { key: privateKey, dsaEncoding: 'der' }).toString('hex');
}

/** Whether `signatureHex` is a valid SigV4A signature of `stringToSign` under `publicKey`. */
export function verifyV4aSignature(publicKey: KeyObject, stringToSign: string, signatureHex: string): boolean {
  if (!/^(?:[0-9a-f]{2})+$/i.test(signatureHex)) return false;
  try {
    return verify('sha256', Buffer.from(stringToSign, 'utf8'), { key: publicKey, dsaEncoding: 'der' }, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}
