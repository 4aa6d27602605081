/**
 * @origin-signer/strict-origin: an S3-compatible (and MediaStore-compatible) origin that
 * recomputes every signature it receives — SigV4 with @smithy/signature-v4, SigV4A with smithy's
 * canonical request and its own key derivation, SigV2 with its own code — and answers what S3
 * answers, mis-signed and anonymous requests included. It is what the tests and `npm start`'s demo
 * put behind origin-signer; it never uses the proxy's signer, and it is not part of the product
 * (not in dist/src, not in the Docker image).
 *
 * This entry is everything outside the package uses: the server (with the worst-case answers it
 * gives on demand, faults.ts), its pure verifiers (the signing-vector tests call them directly),
 * and the request parsing it shares with S3 (oracles for the proxy's request-path tests).
 * Everything else is internal.
 */
export { startStrictOrigin, type StrictOrigin, type StrictOriginOptions } from './server.js';
export type { AuthKind, CredentialLookup, OriginCredential, RecordedRequest, SignableRequest } from './types.js';
export { FAULTS, type Fault, type FaultHook } from './faults.js';
export { MEDIASTORE_BUCKET } from './ops-mediastore.js';
export { S3Error } from './s3-errors.js';
export { isDirectoryBucket, SESSION_TTL_MS, type S3ExpressSession } from './s3express.js';

// Signature verification, as pure functions of the received request.
export { verifySigV4Header, verifySigV4Query, type SigV4Policy } from './verify-sigv4.js';
export { verifySigV4aHeader, verifySigV4aQuery, type SigV4aPolicy, type VerifiedSigV4a } from './verify-sigv4a.js';
export { parseAuthorizationV4, parseAuthorizationV4a } from './parse-authorization.js';
export { regionSetIncludes } from './region-set.js';
export { sigV4aPublicKey } from './sigv4a-key.js';
export { verifySigV2Header, verifySigV2Query, type SigV2Policy } from './verify-sigv2.js';
export { AwsChunkedDecoder, chunkSignature, chunkStringToSign, type ChunkSigningContext } from './aws-chunked.js';
export { ecdsaChunkStringToSign, type EcdsaChunkContext } from './ecdsa-chunk.js';
export { parseAmzDate, parseV2Date } from './dates.js';
export { sha256Hex } from './sha256.js';

// How the origin (like S3) reads a request-target.
export { resolveMediaStoreKey, resolveS3Target, type Target } from './addressing.js';
export { formDecode, parseQuery, splitTarget, type QueryParam } from './query.js';
export { percentDecode, s3CanonicalUri, uriEncode } from './canonical-uri.js';
