// The request-path property's checks on what came back: the object served is the one the path names (I1), and no secret or signature is in it (I4).
import { parseQuery, splitTarget, type RecordedRequest } from '@origin-signer/strict-origin';
import { secretForms } from '../secret-registry.js';
import { CREDS } from './fixture.js';
import type { ViewerRequest } from './arbitraries.js';
import { seenTarget, type ViewerResponse } from './wire.js';
import { keyOf, route, siteKeys } from './model.js';
import type { Violation } from './origin-checks.js';

export const hexBytes = (s: string): string => [...Buffer.from(s, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** Every spelling of a secret a response could carry: as is, URL- and JSON-encoded, as S3's byte dumps. */
const spellings = (s: string): string[] => [...new Set([...secretForms(s), hexBytes(s), encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())])];

export const SECRET_SPELLINGS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['secret access key', spellings(CREDS.secretAccessKey)],
  ['session token', spellings(CREDS.sessionToken)],
];

/**
 * The signatures in what the origin received — X-Amz-Signature / Signature parameters,
 * Authorization's `Signature=` (SigV4, SigV4A) or `AWS id:signature` (SigV2) — as the response
 * check looks for them: a hex one (SigV4's 64 digits, SigV4A's DER) by its first 64 digits, a
 * SigV2 one (base64 of an HMAC-SHA1) whole.
 */
export function signaturesOf(o: RecordedRequest): string[] {
  const out: string[] = [];
  for (const p of parseQuery(splitTarget(o.url).query) ?? []) if (p.key === 'X-Amz-Signature' || p.key === 'Signature') out.push(p.value);
  const authorization = String(o.headers.authorization ?? '');
  const m = /Signature=([0-9a-fA-F]{64,}|[A-Za-z0-9+/=]{20,})/.exec(authorization) ?? /^AWS [^:]+:([A-Za-z0-9+/=]{20,})$/.exec(authorization);
  if (m) out.push(m[1]!);
  return out.filter((s) => s.length >= 16).map((s) => (/^[0-9a-f]{64,}$/.test(s) ? s.slice(0, 64) : s));
}

/** Every 64-character window of every run of lower-case hex digits (a SigV4 signature's shape, SigV4A's start). */
function hex64Windows(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[0-9a-f]{64,}/g)) for (let i = 0; i + 64 <= m[0].length; i++) out.push(m[0].slice(i, i + 64));
  return out;
}

/** Every base64 HMAC-SHA1 (SigV2's 28 characters) in a text, also where it is percent-encoded. */
function base64SigV2s(text: string): string[] {
  const decoded = text.replace(/%2B/gi, '+').replace(/%2F/gi, '/').replace(/%3D/gi, '=');
  return [...`${text}\n${decoded}`.matchAll(/(?=([A-Za-z0-9+/]{27}=))/g)].map((m) => m[1]!);
}

/**
 * I1 for what comes back: a whole object answered to a GET (200) is the one the viewer's path
 * names — the seeded objects say which they are — never another key's or another bucket's, from
 * the store or from the cache (an entry answered for the wrong key). Written objects say nothing.
 */
export function checkServedObject(r: ViewerRequest, res: ViewerResponse): Violation[] {
  if (r.method !== 'GET' || res.status !== 200 || res.ended !== 'complete') return [];
  const routed = route(splitTarget(seenTarget(r)).path);
  if (!routed) return [];
  // A listing of a block S3 clients list shows keys relative to keyPrefix, the block's name, no owner:
  // a key that kept a keyPrefix (`r/…`), the store's bucket or its owner means something outside the block was shown.
  if (routed.block.listObjects && res.body.includes('<ListBucketResult')) {
    const outside = /<(Key|Prefix)>r(\/|%2F)|<Name>(?!rl<)|<Owner>|ps-read|ps-other/.exec(res.body);
    return outside ? [{ kind: 'I1:listing-outside-block', detail: `${JSON.stringify(res.body.slice(Math.max(0, outside.index - 40), outside.index + 60))} in a listing of ${routed.block.path}` }] : [];
  }
  const expected = keyOf(routed.rest, routed.block.keyPrefix);
  // The body is latin-1 (one character per byte): the seeded text's UTF-8 bytes, spelled so.
  const own = 'key' in expected ? Buffer.from(`object ${expected.key}\n`, 'utf8').toString('latin1') : undefined;
  const body = res.body;
  // A site's index document or SPA fallback (its 404 page comes with 404) is the site's own answer for the path.
  const siteOwn = routed.block.site ? [...siteKeys(routed.block, routed.rest, expected)].map((k) => Buffer.from(`object ${k}\n`, 'utf8').toString('latin1')) : [];
  const foreign = /^(outside every keyPrefix|another bucket)\n/.test(body) || (body.startsWith('object ') && (own === undefined || !body.startsWith(own)) && !siteOwn.some((s) => body.startsWith(s)));
  if (!foreign) return [];
  const cache = /\r\nx-cache: *(\w+)/i.exec(res.head)?.[1];
  return [{ kind: `I1:other-object-served${cache ? `(${cache})` : ''}`, detail: `${JSON.stringify(body.slice(0, 80))} for ${routed.block.path}${JSON.stringify(routed.rest.slice(0, 80))}` }];
}

/**
 * I4 for one viewer response. `cause` names what the store did (an injected fault, its error
 * code, or 'proxy' when nothing reached it): the violation's kind carries it, and where the
 * secret was (status line and headers, or body), so a survey tells the classes apart.
 */
export function checkResponse(res: ViewerResponse, signatures: ReadonlySet<string>, cause: string, o: { presignedRedirect?: boolean } = {}): Violation[] {
  const v: Violation[] = [];
  const head = res.head;
  // A redirect block's 307 hands the viewer a presigned URL: its token and signature are the
  // feature (what the URL reaches is checked by following it); the secret key never is.
  const presignedHead = o.presignedRedirect && res.status === 307 ? head.replace(/\r\nlocation:[^\r]*/i, '') : head;
  // The de-chunked body (bytes and UTF-8), and whatever came after the head as it came.
  const bodies = [res.body, Buffer.from(res.body, 'latin1').toString('utf8'), res.raw.slice(head.length)];
  const found = (what: string, has: (text: string) => boolean, inHead = head): void => {
    if (has(inHead)) v.push({ kind: `I4:${what}-in-header(${cause})`, detail: `${what} in the response head (status ${res.status})` });
    if (bodies.some(has)) v.push({ kind: `I4:${what}-in-body(${cause})`, detail: `${what} in the response body (status ${res.status})` });
  };
  found('secret-key', (t) => SECRET_SPELLINGS[0]![1].some((f) => t.includes(f)));
  found('session-token', (t) => SECRET_SPELLINGS[1]![1].some((f) => t.includes(f)), presignedHead);
  // Any signature the proxy computed so far (another request's too).
  found('signature', (t) => hex64Windows(t).some((w) => signatures.has(w)) || base64SigV2s(t).some((w) => signatures.has(w)), presignedHead);
  return v;
}

/** What the store did for the origin requests `seen`, for I4's kinds. */
export function causeOf(seen: readonly RecordedRequest[]): string {
  const faulted = seen.find((o) => o.fault);
  if (faulted) return `fault:${faulted.fault}`;
  const last = seen.at(-1);
  return last ? (last.errorCode ?? String(last.status)) : 'proxy';
}
