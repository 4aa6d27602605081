import type { IncomingHttpHeaders } from 'node:http';

/** Viewer headers forwarded on every request: range and conditional requests (RFC 9110 §13-14). */
const READ_HEADERS = ['range', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since'];

/** Viewer headers forwarded on writes: what S3 stores with the object or checks against the body. */
const WRITE_HEADERS = [
  'content-type', 'content-length', 'content-md5', 'cache-control', 'content-disposition', 'content-encoding',
  'content-language', 'expires', 'x-amz-storage-class',
];
const WRITE_PREFIXES = ['x-amz-meta-', 'x-amz-checksum-'];

/**
 * Headers that never go upstream from a viewer, whatever `includeHeaders` says: the viewer's own
 * credentials and signing inputs, and hop-by-hop headers (RFC 9110 §7.6.1).
 */
export const NEVER_FORWARDED: ReadonlySet<string> = new Set([
  'authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'x-amz-decoded-content-length',
  'host', 'connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'expect',
]);

const WRITE_METHODS: ReadonlySet<string> = new Set(['PUT', 'POST']);

export interface HeaderPolicy {
  readonly includeHeaders: readonly string[];
}

/**
 * The viewer headers to send upstream, names lower-case (DESIGN step 4). Reads forward range and
 * conditional headers; writes also forward entity and metadata headers. `includeHeaders` adds
 * more, never one from {@link NEVER_FORWARDED}.
 */
export function upstreamHeaders(method: string, viewer: IncomingHttpHeaders, policy: HeaderPolicy): Record<string, string> {
  const out: Record<string, string> = {};
  const take = (name: string): void => {
    const v = viewer[name];
    if (v !== undefined) out[name] = Array.isArray(v) ? v.join(', ') : v;
  };
  for (const name of READ_HEADERS) take(name);
  if (WRITE_METHODS.has(method)) {
    for (const name of WRITE_HEADERS) take(name);
    for (const name of Object.keys(viewer)) {
      if (WRITE_PREFIXES.some((p) => name.startsWith(p))) take(name);
    }
  }
  for (const name of policy.includeHeaders) if (!NEVER_FORWARDED.has(name)) take(name);
  return out;
}
