/** The SigV4 and SigV4A algorithm names, as the Authorization header and X-Amz-Algorithm carry them. */

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const ALGORITHM_V4A = 'AWS4-ECDSA-P256-SHA256';
