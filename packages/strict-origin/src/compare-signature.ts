/**
 * The last step of verification: the signature provided against the one recomputed (SigV4's
 * HMAC) or the ECDSA check of the string to sign (SigV4A). A mismatch is S3's
 * SignatureDoesNotMatch, with the diagnostics S3 puts in its body.
 */
import { verify, type KeyObject } from 'node:crypto';
import { S3Error, hexBytes, signatureMismatch } from './s3-errors.js';
import { safeEqual } from './sha256.js';
import { publicKeyFor } from './sigv4a-key.js';
import type { OriginCredential } from './types.js';

export interface CanonicalForms {
  canonicalRequest: string;
  stringToSign: string;
}

/** S3's SignatureDoesNotMatch, with the diagnostics S3 puts in its body (our canonical request and string to sign). */
export function signatureDoesNotMatch(akid: string, provided: string, r: CanonicalForms): S3Error {
  return signatureMismatch([
    ['AWSAccessKeyId', akid],
    ['StringToSign', r.stringToSign],
    ['SignatureProvided', provided],
    ['StringToSignBytes', hexBytes(r.stringToSign)],
    ['CanonicalRequest', r.canonicalRequest],
    ['CanonicalRequestBytes', hexBytes(r.canonicalRequest)],
  ]);
}

/** SigV4: the recomputed HMAC signature, compared in constant time. */
export function checkHmacSignature(accessKeyId: string, provided: string, r: CanonicalForms & { signature: string }): void {
  if (!safeEqual(r.signature, provided)) throw signatureDoesNotMatch(accessKeyId, provided, r);
}

/** Whether `signatureHex` is a DER ECDSA signature (hex) of SHA-256(`stringToSign`) by `publicKey`. */
export function ecdsaVerifies(publicKey: KeyObject, stringToSign: string, signatureHex: string): boolean {
  if (!/^(?:[0-9a-f]{2})+$/.test(signatureHex)) return false;
  try {
    return verify('sha256', Buffer.from(stringToSign, 'utf8'), { key: publicKey, dsaEncoding: 'der' }, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}

/** SigV4A: a DER ECDSA signature (hex) of SHA-256(string to sign), by the credentials' key. */
export function checkEcdsaSignature(cred: OriginCredential, accessKeyId: string, provided: string, r: CanonicalForms): void {
  if (!ecdsaVerifies(publicKeyFor(cred), r.stringToSign, provided)) throw signatureDoesNotMatch(accessKeyId, provided, r);
}

/** A chunk's SignatureDoesNotMatch (aws-chunked, either chain), with the diagnostics S3 gives. */
export function chunkSignatureDoesNotMatch(stringToSign: string, provided: string, chunkIndex: number): S3Error {
  return signatureMismatch([
    ['StringToSign', stringToSign],
    ['SignatureProvided', provided],
    ['StringToSignBytes', hexBytes(stringToSign)],
    ['Chunk', String(chunkIndex)],
  ]);
}
