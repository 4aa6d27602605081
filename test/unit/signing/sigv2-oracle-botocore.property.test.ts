// Our SigV2, header and query modes, against botocore's HmacV1Auth and HmacV1QueryAuth — the AWS
// CLI's S3 signers before SigV4 (dev-only: Debian's python3-botocore, through
// test/support/botocore-v2-oracle.py). For generated requests — awkward keys, path-style and
// virtual-hosted, signed sub-resources among other parameters, repeated and padded x-amz-* headers,
// Content-Type and Content-MD5, session tokens — the strings to sign and the signatures are the
// same, and so are the presigned URL's AWSAccessKeyId, Expires, token and Signature. One Python
// process signs every sample.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { presignV2, signV2Header } from '../../../src/signing/v2/sign.js';
import { V2_SIGNED_SUBRESOURCES } from '../../../src/signing/v2/canonical-resource.js';
import { uriEncode, uriEncodePath } from '../../../src/signing/uri-encode.js';
import { awkwardKey, awkwardText } from '../../support/awkward.js';
import { botocoreSignV2, botocoreSkipReason, type BotocoreV2Request } from '../../support/botocore-oracle.js';
import { credentialsOf } from '../../support/oracle-requests.js';

const RUNS = 300;
const seed = Number(process.env.V2_ORACLE_SEED ?? 2026);

/**
 * Sub-resources botocore signs that the AWS documentation's list (ours) does not: left out of the
 * generated queries. The proxy never sends them (its query table refuses sub-resources), so the
 * two lists differ only where no request of ours goes.
 */
const BOTOCORE_ONLY = new Set(['accelerate', 'defaultObjectAcl', 'storageClass', 'replication', 'analytics', 'metrics', 'inventory', 'select', 'select-type', 'object-lock']);

// Visible ASCII, space and tab: what the proxy forwards (other bytes are refused with OS_ERR_BAD_HEADER),
// so Python's wider strip() (0x0B, 0x0C, 0xA0 …) never meets a value where it would differ from ours.
const printable = fc.string({ unit: fc.constantFrom(...' \t!"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~'.split('')), maxLength: 24 });
/** x-amz-* names in any case (both lower-case them), and other names neither signs. */
const headerName = fc.oneof(
  fc.stringMatching(/^x-amz-meta-[a-z0-9-]{1,10}$/).chain((n) => fc.constantFrom(n, n.toUpperCase(), n.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase()))),
  fc.constantFrom('x-amz-acl', 'x-amz-storage-class', 'x-amz-request-payer'),
  fc.stringMatching(/^x-[b-z][a-z0-9-]{0,8}$/),
);
const queryName = fc.oneof(fc.constantFrom(...V2_SIGNED_SUBRESOURCES), awkwardText(3)).filter((n) => !BOTOCORE_ONLY.has(uriEncode(n)));

const v2Request = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE', 'POST'),
  bucket: fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,20}[a-z0-9]$/),
  virtual: fc.boolean(),
  key: awkwardKey(),
  query: fc.array(fc.tuple(queryName, fc.option(awkwardText(4), { nil: undefined })), { maxLength: 5 }),
  // Not unique: a repeated x-amz-* header is one line, its values joined with commas.
  headers: fc.array(fc.tuple(headerName, printable), { maxLength: 6 }),
  contentType: fc.option(fc.constantFrom('video/mp2t', 'text/plain; charset=utf-8', 'application/octet-stream'), { nil: undefined }),
  contentMd5: fc.option(fc.constantFrom('1B2M2Y8AsgTpgAmY7PhCfg==', 'XUFAKrxLKna5cZ2REBfFkg=='), { nil: undefined }),
  accessKeyId: fc.stringMatching(/^[A-Z0-9]{16,24}$/),
  secret: fc.string({ minLength: 1, maxLength: 40 }),
  token: fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{10,80}$/), { nil: undefined }),
  date: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
});
type V2Generated = typeof v2Request extends fc.Arbitrary<infer T> ? T : never;

/** The request as the proxy puts it on the wire (path-style or virtual-hosted), and its URL. */
function wire(g: V2Generated): { host: string; path: string; query: string; headers: Array<[string, string]>; url: string; authPath: string | null } {
  const host = g.virtual ? `${g.bucket}.s3.amazonaws.com` : 's3.amazonaws.com';
  const path = g.virtual ? `/${uriEncodePath(g.key)}` : `/${g.bucket}/${uriEncodePath(g.key)}`;
  const query = g.query.map(([k, v]) => (v === undefined ? uriEncode(k) : `${uriEncode(k)}=${uriEncode(v)}`)).join('&');
  const headers: Array<[string, string]> = [['host', host], ...g.headers.map(([n, v]): [string, string] => [n, v])];
  if (g.contentType) headers.push(['content-type', g.contentType]);
  if (g.contentMd5) headers.push(['content-md5', g.contentMd5]);
  return { host, path, query, headers, url: `http://${host}${path}${query ? `?${query}` : ''}`, authPath: g.virtual ? `/${g.bucket}${path}` : null };
}

type Wire = ReturnType<typeof wire>;

/** What botocore is given for `g` on the wire `w`: `extra` headers beside the wire's, the Date slot's value. */
function botocoreRequest(g: V2Generated, w: Wire, mode: 'header' | 'query', extra: Array<[string, string]>, dateSlot: string): BotocoreV2Request {
  const headers = [...w.headers, ...extra];
  return { method: g.method, url: w.url, auth_path: w.authPath, headers, access_key_id: g.accessKeyId, secret_access_key: g.secret, session_token: g.token ?? null, mode, date_slot: dateSlot };
}

test(`SigV2 header signing matches botocore's HmacV1Auth (seed ${seed})`, { skip: botocoreSkipReason() }, () => {
  const samples = fc.sample(v2Request, { numRuns: RUNS, seed });
  // We send the date as x-amz-date, so the Date slot is empty (S3 reads the date from the amz headers).
  const httpDate = (g: V2Generated): string => g.date.toUTCString();
  const wires = samples.map(wire);
  const signed = botocoreSignV2(samples.map((g, i) => botocoreRequest(g, wires[i]!, 'header', [['x-amz-date', httpDate(g)]], '')));
  samples.forEach((g, i) => {
    const w = wires[i]!;
    const ours = signV2Header({ method: g.method, path: w.path, query: w.query, headers: w.headers }, credentialsOf(g), { bucket: g.virtual ? g.bucket : undefined, httpDate: httpDate(g) });
    const at = `sample ${i} (seed ${seed})`;
    assert.equal(ours.stringToSign, signed[i]!.string_to_sign, at);
    assert.equal(ours.signature, signed[i]!.signature, at);
    assert.equal(ours.authorization, `AWS ${g.accessKeyId}:${signed[i]!.signature}`, at);
  });
});

test(`SigV2 presigned URLs match botocore's HmacV1QueryAuth (seed ${seed + 1})`, { skip: botocoreSkipReason() }, () => {
  const samples = fc.sample(v2Request, { numRuns: RUNS, seed: seed + 1 });
  const expiresEpoch = (g: V2Generated): number => Math.floor(g.date.getTime() / 1000);
  const wires = samples.map(wire);
  const signed = botocoreSignV2(samples.map((g, i) => botocoreRequest(g, wires[i]!, 'query', [], String(expiresEpoch(g)))));
  samples.forEach((g, i) => {
    const w = wires[i]!;
    const ours = presignV2({ method: g.method, path: w.path, query: w.query, headers: w.headers }, credentialsOf(g), { bucket: g.virtual ? g.bucket : undefined, expiresEpoch: expiresEpoch(g) });
    const at = `sample ${i} (seed ${seed + 1})`;
    assert.equal(ours.stringToSign, signed[i]!.string_to_sign, at);
    assert.equal(ours.signature, signed[i]!.signature, at);
    // The parameters both put in the URL (botocore also moves x-amz-* headers there; we send them as headers).
    const auth = (query: string): Record<string, string | null> => {
      const p = new URLSearchParams(query.replace(/\+/g, '%2B'));
      return Object.fromEntries(['AWSAccessKeyId', 'Expires', 'Signature', 'x-amz-security-token'].map((k) => [k, p.get(k)]));
    };
    const theirs = new URL(signed[i]!.url!).search.slice(1);
    assert.deepEqual(auth(ours.query), auth(theirs), at);
  });
});
