// Generated requests for the SigV4A oracle tests (smithy and awscrt): the request as the proxy
// puts it on the wire, with credentials, a region set and a date.
import fc from 'fast-check';
import { awkwardKey, awkwardText } from './awkward.js';
import { wireForm, type WireForm } from './oracle-wire.js';
import { toAmzDate } from '../../src/signing/amz-date.js';
import { UNSIGNED_PAYLOAD } from '../../src/signing/types.js';
import type { V4HeaderResult } from '../../src/signing/v4/sign-header.js';
import type { V4aKeyCache } from '../../src/signing/v4a/key-cache.js';
import { signV4aHeader } from '../../src/signing/v4a/sign-header.js';

const printable = fc.string({ unit: fc.constantFrom(...' \t!"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~'.split('')), maxLength: 24 });
// Not x-amz-*: those are the signer's own (x-amz-date, x-amz-region-set, …) or refused by the proxy.
const headerName = fc.stringMatching(/^x-[a-z0-9][a-z0-9-]{0,15}$/).filter((n) => !n.startsWith('x-amz'));

export const v4aRequest = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE', 'POST'),
  bucket: fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,20}[a-z0-9]$/),
  key: awkwardKey(),
  // Not "__proto__" as a query name: smithy collects parameters in a plain object (see sigv4-oracle-smithy).
  query: fc.array(fc.tuple(awkwardText(4).filter((k) => k !== '__proto__'), fc.option(awkwardText(4), { nil: undefined })), { maxLength: 5 }),
  headers: fc.uniqueArray(fc.tuple(headerName, printable), { selector: ([n]) => n, maxLength: 5 }),
  range: fc.option(fc.constantFrom('bytes=0-9', 'bytes=100-', 'bytes=-5'), { nil: undefined }),
  regionSet: fc.constantFrom('*', 'us-east-1', 'us-east-1,eu-west-1', 'eu-central-1,ap-southeast-2,us-west-2'),
  accessKeyId: fc.stringMatching(/^[A-Z0-9]{16,24}$/),
  // Real secrets are base64-like ASCII; smithy's KDF reads the secret one UTF-16 unit per byte.
  secret: fc.stringMatching(/^[A-Za-z0-9+/]{1,40}$/),
  token: fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{10,80}$/), { nil: undefined }),
  date: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
  expires: fc.integer({ min: 1, max: 604800 }),
});
export type V4aGenerated = typeof v4aRequest extends fc.Arbitrary<infer T> ? T : never;

/** SigV4A signs for a region set: the bucket's global host. */
export const v4aWire = (g: V4aGenerated): WireForm => wireForm(`${g.bucket}.s3.amazonaws.com`, g);

export const credentialsOf = (g: V4aGenerated): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } => ({
  accessKeyId: g.accessKeyId,
  secretAccessKey: g.secret,
  ...(g.token ? { sessionToken: g.token } : {}),
});

/** Our SigV4A header signature of a generated request, as both oracle tests compare it (UNSIGNED-PAYLOAD, x-amz-content-sha256 sent). */
export function ourV4aHeader(g: V4aGenerated, w: WireForm, keyCache: V4aKeyCache): V4HeaderResult {
  return signV4aHeader({ method: g.method, path: w.wirePath, query: w.wireQuery, headers: w.headers }, credentialsOf(g), { regionSet: g.regionSet, service: 's3', uriRule: 's3', keyCache }, {
    amzDate: toAmzDate(g.date.getTime()),
    payloadHash: UNSIGNED_PAYLOAD,
    contentSha256Header: true,
  });
}
