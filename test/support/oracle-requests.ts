// The generated request the SigV4 and SigV4A oracle tests sign: method, bucket, an awkward key and
// query, extra headers, a range, credentials, a date and an expiry. Each test adds its region (or
// region set) and the alphabet of its secret.
import fc from 'fast-check';
import { awkwardKey, awkwardText } from './awkward.js';

const printable = fc.string({ unit: fc.constantFrom(...' \t!"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~'.split('')), maxLength: 24 });
const headerName = fc.stringMatching(/^x-[a-z0-9][a-z0-9-]{0,15}$/);

/** The shared fields, for fc.record; `amzHeaders: false` leaves out extra x-amz-* header names. */
export function oracleRequestFields(o: { amzHeaders: boolean }) {
  const names = o.amzHeaders ? headerName : headerName.filter((n) => !n.startsWith('x-amz'));
  return {
    method: fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE', 'POST'),
    bucket: fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,20}[a-z0-9]$/),
    key: awkwardKey(),
    // Not "__proto__" as a query name: smithy's getCanonicalQuery collects parameters in a plain
    // object and turns that name into "[object Object]" (the oracle's bug, not ours: see
    // canonical-query.test.ts for our answer).
    query: fc.array(fc.tuple(awkwardText(4).filter((k) => k !== '__proto__'), fc.option(awkwardText(4), { nil: undefined })), { maxLength: 5 }),
    headers: fc.uniqueArray(fc.tuple(names, printable), { selector: ([n]) => n, maxLength: 5 }),
    range: fc.option(fc.constantFrom('bytes=0-9', 'bytes=100-', 'bytes=-5'), { nil: undefined }),
    accessKeyId: fc.stringMatching(/^[A-Z0-9]{16,24}$/),
    token: fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{10,80}$/), { nil: undefined }),
    date: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
    expires: fc.integer({ min: 1, max: 604800 }),
  };
}

/** The credentials of a generated request (a session token when one was drawn). */
export const credentialsOf = (g: { accessKeyId: string; secret: string; token?: string | undefined }): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } => ({
  accessKeyId: g.accessKeyId,
  secretAccessKey: g.secret,
  ...(g.token ? { sessionToken: g.token } : {}),
});
