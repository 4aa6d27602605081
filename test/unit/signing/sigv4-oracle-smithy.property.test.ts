// Our SigV4 (header and presigned query) against @smithy/signature-v4 on generated requests:
// awkward keys, repeated and valueless query parameters, header values with odd white space,
// session tokens, dates over a century. A difference is a bug in one of the two; smithy is what
// the AWS SDK ships, and S3 accepts it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { signV4Header } from '../../../src/signing/v4/sign-header.js';
import { presignV4 } from '../../../src/signing/v4/presign.js';
import { toAmzDate } from '../../../src/signing/amz-date.js';
import { SigningKeyCache } from '../../../src/signing/v4/signing-key.js';
import { UNSIGNED_PAYLOAD } from '../../../src/signing/types.js';
import { smithyAuthorization, smithyPresignSignature, type OracleRequest } from '../../support/smithy-oracle.js';
import { credentialsOf, oracleRequestFields } from '../../support/oracle-requests.js';
import { wireForm } from '../../support/oracle-wire.js';

const generated = fc.record({
  ...oracleRequestFields({ amzHeaders: true }),
  region: fc.constantFrom('us-east-1', 'eu-central-1', 'ap-southeast-2', 'us-gov-west-1'),
  secret: fc.string({ minLength: 1, maxLength: 40 }),
});
type Generated = typeof generated extends fc.Arbitrary<infer T> ? T : never;

/** The request the way the proxy puts it on the wire, and the way smithy is given it. */
function build(g: Generated): { wirePath: string; wireQuery: string; headers: Array<[string, string]>; oracle: OracleRequest } {
  const { hostname, wirePath, wireQuery, headers, decodedQuery: query } = wireForm(`${g.bucket}.s3.${g.region}.amazonaws.com`, g);
  return { wirePath, wireQuery, headers, oracle: { method: g.method, hostname, path: wirePath, query, headers: Object.fromEntries(headers) } };
}

const cache = new SigningKeyCache();

test('SigV4 header signing matches @smithy/signature-v4', async () => {
  await fc.assert(
    fc.asyncProperty(generated, async (g) => {
      const { wirePath, wireQuery, headers, oracle } = build(g);
      const creds = credentialsOf(g);
      const ours = signV4Header({ method: g.method, path: wirePath, query: wireQuery, headers }, creds, { region: g.region, service: 's3', uriRule: 's3', keyCache: cache }, {
        amzDate: toAmzDate(g.date.getTime()),
        payloadHash: UNSIGNED_PAYLOAD,
        contentSha256Header: true,
      });
      const theirs = await smithyAuthorization({ ...oracle, headers: { ...oracle.headers, 'x-amz-content-sha256': UNSIGNED_PAYLOAD } }, creds, g.region, 's3', g.date);
      assert.equal(ours.authorization, theirs, ours.canonicalRequest);
    }),
    { numRuns: 400 },
  );
});

test('SigV4 presigned URLs match @smithy/signature-v4', async () => {
  await fc.assert(
    fc.asyncProperty(generated, async (g) => {
      const { wirePath, wireQuery, oracle } = build(g);
      const host: Array<[string, string]> = [['host', oracle.hostname]];
      const creds = credentialsOf(g);
      const ours = presignV4({ method: g.method, path: wirePath, query: wireQuery, headers: host }, creds, { region: g.region, service: 's3', uriRule: 's3' }, {
        amzDate: toAmzDate(g.date.getTime()),
        expires: g.expires,
        payloadHash: UNSIGNED_PAYLOAD,
      });
      const theirs = await smithyPresignSignature({ ...oracle, headers: { host: oracle.hostname } }, creds, g.region, 's3', g.date, g.expires);
      assert.equal(ours.signature, theirs, ours.canonicalRequest);
    }),
    { numRuns: 400 },
  );
});
