import { createECDH, createHmac, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { V4A_ALGORITHM } from '../types.js';

/**
 * The SigV4A key pair of a set of credentials: an ECDSA P-256 private key derived from the secret
 * with the counter-mode KDF of NIST SP 800-108 over HMAC-SHA256, as AWS derives it (checked
 * against awslabs/aws-c-auth `source/key_derivation.c`, `aws_ecc_key_pair_new_ecdsa_p256_key_from_aws_credentials`):
 *
 *   key   = "AWS4A" || secret
 *   input = 0x00000001 || "AWS4-ECDSA-P256-SHA256" || 0x00 || accessKeyId || counter (1 byte) || 0x00000100
 *   k0    = HMAC-SHA256(key, input)                      for counter = 1, 2, … 254
 *   d     = k0 + 1, for the first counter whose k0 ≤ n − 2 (n: the order of P-256)
 *
 * so d lies in [1, n − 1]. A k0 above n − 2 happens with probability about 2⁻³², so the first
 * counter nearly always wins; the loop exists for the spec's sake. The fixed input is built
 * afresh for every counter (one input per trial, never the previous trials' bytes).
 */

/** The order of the P-256 group (FIPS 186-4 D.1.2.3) minus two. */
const N_MINUS_2 = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc63254fn;
const MAX_COUNTER = 254;
const ONE_BE32 = Buffer.from([0, 0, 0, 1]);
/** The output length in bits, 256, as a 32-bit big-endian number. */
const LENGTH_BE32 = Buffer.from([0, 0, 1, 0]);

/** The KDF's fixed input for one trial. */
export function fixedInput(accessKeyId: string, counter: number): Buffer {
  return Buffer.concat([ONE_BE32, Buffer.from(V4A_ALGORITHM, 'ascii'), Buffer.from([0]), Buffer.from(accessKeyId, 'utf8'), Buffer.from([counter]), LENGTH_BE32]);
}

/** One trial's outcome: d = k0 + 1 (32 bytes) when k0 ≤ n − 2, else undefined (try the next counter). */
export function scalarFromCandidate(k0: Buffer): Buffer | undefined {
  const candidate = BigInt(`0x${k0.toString('hex')}`);
  if (candidate > N_MINUS_2) return undefined;
  return Buffer.from((candidate + 1n).toString(16).padStart(64, '0'), 'hex');
}

/** The private scalar d, 32 bytes big-endian. */
export function deriveV4aPrivateScalar(accessKeyId: string, secretAccessKey: string): Buffer {
  const key = Buffer.from(`AWS4A${secretAccessKey}`, 'utf8');
  for (let counter = 1; counter <= MAX_COUNTER; counter++) {
    const k0 = createHmac('sha256', key).update(fixedInput(accessKeyId, counter)).digest();
    const d = scalarFromCandidate(k0);
    k0.fill(0);
    if (d !== undefined) return d;
  }
  // Unreachable in practice: 254 trials each failing with probability ~2^-32.
  throw new Error(`cannot derive a SigV4A key for ${accessKeyId}: no candidate below n-2 in ${MAX_COUNTER} trials`);
}

export interface V4aKeyPair {
  /** For crypto.sign: the P-256 private key d. */
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The public point's coordinates, 32 bytes each (what aws-c-auth's public-key.json lists). */
  readonly x: Buffer;
  readonly y: Buffer;
}

const b64url = (b: Buffer): string => b.toString('base64url');

/** The key pair of a private scalar: the public point computed by Node's ECDH (Q = d·G). */
export function v4aKeyPairFromScalar(d: Buffer): V4aKeyPair {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey(); // 0x04 || X || Y
  const x = point.subarray(1, 33);
  const y = point.subarray(33, 65);
  const privateKey = createPrivateKey({ key: { kty: 'EC', crv: 'P-256', d: b64url(d), x: b64url(x), y: b64url(y) }, format: 'jwk' });
  return { privateKey, publicKey: createPublicKey(privateKey), x: Buffer.from(x), y: Buffer.from(y) };
}

/** The SigV4A key pair of a set of credentials (no caching: see V4aKeyCache). */
export function deriveV4aKeyPair(accessKeyId: string, secretAccessKey: string): V4aKeyPair {
  const d = deriveV4aPrivateScalar(accessKeyId, secretAccessKey);
  try {
    return v4aKeyPairFromScalar(d);
  } finally {
    d.fill(0);
  }
}
