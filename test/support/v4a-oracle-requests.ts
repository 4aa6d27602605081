// Generated requests for the SigV4A oracle tests (smithy and awscrt): the request as the proxy
// puts it on the wire, with credentials, a region set and a date.
import fc from 'fast-check';
import { credentialsOf, oracleRequestFields } from './oracle-requests.js';
import { wireForm, type WireForm } from './oracle-wire.js';
import { toAmzDate } from '../../src/signing/amz-date.js';
import { UNSIGNED_PAYLOAD } from '../../src/signing/types.js';
import type { V4HeaderResult } from '../../src/signing/v4/sign-header.js';
import type { V4aKeyCache } from '../../src/signing/v4a/key-cache.js';
import { signV4aHeader } from '../../src/signing/v4a/sign-header.js';

export const v4aRequest = fc.record({
  // Not x-amz-*: those are the signer's own (x-amz-date, x-amz-region-set, …) or refused by the proxy.
  ...oracleRequestFields({ amzHeaders: false }),
  regionSet: fc.constantFrom('*', 'us-east-1', 'us-east-1,eu-west-1', 'eu-central-1,ap-southeast-2,us-west-2'),
  // Real secrets are base64-like ASCII; smithy's KDF reads the secret one UTF-16 unit per byte.
  secret: fc.stringMatching(/^[A-Za-z0-9+/]{1,40}$/),
});
export type V4aGenerated = typeof v4aRequest extends fc.Arbitrary<infer T> ? T : never;

/** SigV4A signs for a region set: the bucket's global host. */
export const v4aWire = (g: V4aGenerated): WireForm => wireForm(`${g.bucket}.s3.amazonaws.com`, g);

/** Our SigV4A header signature of a generated request, as both oracle tests compare it (UNSIGNED-PAYLOAD, x-amz-content-sha256 sent). */
export function ourV4aHeader(g: V4aGenerated, w: WireForm, keyCache: V4aKeyCache): V4HeaderResult {
  return signV4aHeader({ method: g.method, path: w.wirePath, query: w.wireQuery, headers: w.headers }, credentialsOf(g), { regionSet: g.regionSet, service: 's3', uriRule: 's3', keyCache }, {
    amzDate: toAmzDate(g.date.getTime()),
    payloadHash: UNSIGNED_PAYLOAD,
    contentSha256Header: true,
  });
}
