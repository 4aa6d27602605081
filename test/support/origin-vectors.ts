/**
 * Loading the published signing vectors (test/fixtures/vectors, layout in
 * /work/shared/vectors/README.md) and turning them into inputs for the strict
 * origin's pure verifier functions.
 */
import { parseAmzDate, parseV2Date } from '@origin-signer/strict-origin';
import type { SignableRequest } from '@origin-signer/strict-origin';
import type { SigV4Policy } from '@origin-signer/strict-origin';
import type { SigV2Policy } from '@origin-signer/strict-origin';
import type { SigV2Vector, SigV4Vector } from './vectors.js';

export { loadVectors, type SigV2Vector, type SigV4Vector } from './vectors.js';

/** The request target (path + query) a query-mode vector was sent with. */
function queryTarget(v: SigV4Vector): string {
  if (v.expected.request_target !== undefined) return v.expected.request_target;
  if (v.expected.url !== undefined) return v.expected.url.replace(/^https?:\/\/[^/]+/, '');
  throw new Error(`${v.id}: no url / request_target`);
}

/** The signed request as the origin would receive it. */
export function v4Request(v: SigV4Vector): SignableRequest {
  if (v.signing.mode === 'header') {
    if (v.expected.authorization === undefined) throw new Error(`${v.id}: no authorization`);
    return {
      method: v.request.method,
      path: v.request.path,
      query: v.request.query,
      headers: [...v.request.headers, ['Authorization', v.expected.authorization]],
    };
  }
  const target = queryTarget(v);
  const q = target.indexOf('?');
  return { method: v.request.method, path: target.slice(0, q), query: target.slice(q + 1), headers: v.request.headers };
}

/** Verifier policy for a vector: its region/service/rule, the clock at its date. */
export function v4Policy(v: SigV4Vector, overrides: Partial<SigV4Policy> = {}): SigV4Policy {
  const s = v.signing;
  const token = s.session_token !== null && s.session_token_signed ? { sessionToken: s.session_token } : {};
  const date = parseAmzDate(s.amz_date);
  if (!date) throw new Error(`${v.id}: bad amz_date`);
  return {
    region: s.region,
    service: s.service,
    uriRule: s.uri_rule === 'generic' && v.applies_to === 'generic' ? 'generic' : 's3',
    lookup: (akid) => (akid === s.access_key_id ? { accessKeyId: akid, secretAccessKey: s.secret_access_key, ...token } : undefined),
    now: date.getTime(),
    maxSkewMs: 15 * 60 * 1000,
    requireContentSha256: false,
    defaultPayloadHash: s.payload_hash,
    ...overrides,
  };
}

/** Changes one character of a hex or base64 signature. */
export function tweak(sig: string): string {
  const i = Math.floor(sig.length / 2);
  const c = sig[i] as string;
  const r = c === 'a' ? 'b' : c === '0' ? '1' : /[0-9a-f]/.test(c) ? 'a' : c === 'A' ? 'B' : 'A';
  return sig.slice(0, i) + r + sig.slice(i + 1);
}

/** Replaces the signature inside a signed request (Authorization header or X-Amz-Signature). */
export function withSignature(req: SignableRequest, oldSig: string, newSig: string): SignableRequest {
  const enc = (s: string): string => encodeURIComponent(s);
  return {
    ...req,
    query: req.query.replace(enc(oldSig), enc(newSig)),
    headers: req.headers.map(([k, val]) => [k, k.toLowerCase() === 'authorization' ? val.replace(oldSig, newSig) : val] as [string, string]),
  };
}

export function v2Request(v: SigV2Vector, signature?: string): SignableRequest {
  if (v.signing.mode === 'header') {
    const sig = signature ?? v.expected.signature;
    return {
      method: v.request.method,
      path: v.request.path,
      query: v.request.query,
      headers: [...v.request.headers, ['Authorization', `AWS ${v.signing.access_key_id}:${sig}`]],
    };
  }
  const url = v.expected.url as string;
  const target = url.replace(/^https?:\/\/[^/]+/, '');
  const q = target.indexOf('?');
  let query = target.slice(q + 1);
  if (signature !== undefined) query = query.replace(v.expected.query_signature as string, encodeURIComponent(signature));
  return { method: v.request.method, path: target.slice(0, q), query, headers: v.request.headers };
}

export function v2Policy(v: SigV2Vector): SigV2Policy {
  const s = v.signing;
  let now: number;
  if (s.mode === 'query') {
    now = (s.expires as number) * 1000 - 60_000;
  } else {
    const amz = v.request.headers.find(([k]) => k.toLowerCase() === 'x-amz-date')?.[1];
    const date = v.request.headers.find(([k]) => k.toLowerCase() === 'date')?.[1];
    const t = parseV2Date((amz ?? date) as string);
    if (t === undefined) throw new Error(`${v.id}: no date`);
    now = t;
  }
  return {
    lookup: (akid) => (akid === s.access_key_id ? { accessKeyId: akid, secretAccessKey: s.secret_access_key } : undefined),
    now,
    maxSkewMs: 15 * 60 * 1000,
    bucket: s.bucket,
  };
}
