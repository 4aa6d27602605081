import type { OutgoingHttpHeaders } from 'node:http';

/** Hop-by-hop headers (RFC 9110 §7.6.1) are for one connection only and never pass a proxy. */
const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer',
  'transfer-encoding', 'upgrade',
]);

/**
 * Upstream response headers to pass to the viewer: status and entity headers (`ETag`,
 * `Last-Modified`, `Content-Range`, `Accept-Ranges`, metadata …) pass, hop-by-hop headers do not
 * (DESIGN step 7). Headers named in `Connection` are hop-by-hop too.
 */
export function viewerHeaders(upstream: Record<string, string | string[] | undefined>): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const connection = upstream['connection'];
  const named = connection ? String(connection).toLowerCase().split(/\s*,\s*/) : [];
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.includes(name)) continue;
    out[name] = value;
  }
  return out;
}
