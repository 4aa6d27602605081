import type { IncomingHttpHeaders } from 'node:http';
import { namesSourceObject, NEVER_FORWARDED } from '../http/never-forwarded.js';
import { SSE_S3 } from '../http/protection-headers.js';

/** Viewer headers forwarded on every request: range and conditional requests (RFC 9110 §13-14). */
const READ_HEADERS = ['range', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since'];

/** Viewer headers forwarded on writes: what S3 stores with the object or checks against the body. */
const WRITE_HEADERS = [
  'content-type', 'content-length', 'content-md5', 'cache-control', 'content-disposition', 'content-encoding',
  'content-language', 'expires', 'x-amz-storage-class',
];
const WRITE_PREFIXES = ['x-amz-meta-', 'x-amz-checksum-'];

/**
 * Conditions on a write or a delete, forwarded on every method but GET and HEAD: each can only make
 * the store refuse (412, or 400 InvalidRequest), never change what is written. Dropped, a delete
 * meant to be conditional deletes whatever is there (S3 API Reference, DeleteObject:
 * x-amz-if-match-size, x-amz-if-match-last-modified-time; CompleteMultipartUpload: x-amz-mp-object-size).
 * If-Match and If-None-Match are in READ_HEADERS, forwarded on every method.
 */
const WRITE_CONDITIONS = ['x-amz-if-match-size', 'x-amz-if-match-last-modified-time', 'x-amz-mp-object-size'];

const WRITE_METHODS: ReadonlySet<string> = new Set(['PUT', 'POST']);
const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

export interface HeaderPolicy {
  readonly includeHeaders: readonly string[];
}

/**
 * Header values the proxy can sign as the store will read them: visible ASCII, space and tab
 * (RFC 9110 §5.5 field-vchar without obs-text). A byte such as 0xA0 is trimmed by some signers and
 * kept by some stores, so the signature would not match what is sent: such a request is refused.
 */
const SIGNABLE_VALUE = /^[\t\x20-\x7e]*$/;

export type UpstreamHeaders = { readonly headers: Record<string, string> } | { readonly error: string };

/**
 * The viewer headers to send upstream, names lower-case. Reads forward range and
 * conditional headers; writes and deletes also their own conditions; writes also forward entity and metadata headers. `includeHeaders` adds
 * more, never one from NEVER_FORWARDED nor one that names a source object. A forwarded value
 * that cannot be signed faithfully is an error, not a header signed differently from what is sent.
 */
export function upstreamHeaders(method: string, viewer: IncomingHttpHeaders, policy: HeaderPolicy): UpstreamHeaders {
  const out: Record<string, string> = {};
  let bad: string | undefined;
  const take = (name: string): void => {
    const v = viewer[name];
    if (v === undefined) return;
    const value = Array.isArray(v) ? v.join(', ') : v;
    if (!SIGNABLE_VALUE.test(value)) bad ??= name;
    out[name] = value;
  };
  for (const name of READ_HEADERS) take(name);
  if (!READ_METHODS.has(method)) for (const name of WRITE_CONDITIONS) take(name);
  if (WRITE_METHODS.has(method)) {
    for (const name of WRITE_HEADERS) take(name);
    // SSE-S3 asked for is forwarded as asked (protection-headers.ts); any other encryption was refused or is named in includeHeaders.
    if (viewer[SSE_S3[0]] === SSE_S3[1]) take(SSE_S3[0]);
    for (const name of Object.keys(viewer)) {
      if (WRITE_PREFIXES.some((p) => name.startsWith(p))) take(name);
    }
  }
  // A config the check passed names neither kind; one built another way still cannot forward them.
  for (const name of policy.includeHeaders) if (!NEVER_FORWARDED.has(name) && !namesSourceObject(name)) take(name);
  if (bad) return { error: `the ${bad} header has a byte outside visible ASCII, space and tab` };
  return { headers: out };
}
