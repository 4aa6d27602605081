// Generated requests for the SigV4A oracle tests (smithy and awscrt): the request as the proxy
// puts it on the wire, with credentials, a region set and a date.
import fc from 'fast-check';
import { uriEncode, uriEncodePath } from '../../src/signing/uri-encode.js';
import { awkwardKey, awkwardText } from './awkward.js';

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

export interface V4aWire {
  hostname: string;
  wirePath: string;
  wireQuery: string;
  headers: Array<[string, string]>;
  /** Decoded query, repeated keys as arrays (smithy's HttpRequest form). */
  decodedQuery: Record<string, string | string[]>;
}

export function v4aWire(g: V4aGenerated): V4aWire {
  const hostname = `${g.bucket}.s3.amazonaws.com`;
  const wirePath = `/${uriEncodePath(g.key)}`;
  const wireQuery = g.query.map(([k, v]) => (v === undefined ? uriEncode(k) : `${uriEncode(k)}=${uriEncode(v)}`)).join('&');
  const decodedQuery: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [k, v] of g.query) {
    const prev = decodedQuery[k];
    const val = v ?? '';
    decodedQuery[k] = prev === undefined ? val : Array.isArray(prev) ? [...prev, val] : [prev, val];
  }
  const headers: Array<[string, string]> = [['host', hostname], ...g.headers];
  if (g.range) headers.push(['range', g.range]);
  return { hostname, wirePath, wireQuery, headers, decodedQuery };
}

export const credentialsOf = (g: V4aGenerated): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } => ({
  accessKeyId: g.accessKeyId,
  secretAccessKey: g.secret,
  ...(g.token ? { sessionToken: g.token } : {}),
});
