/**
 * Hop-by-hop headers (RFC 9110 §7.6.1, plus the de facto `keep-alive`, `proxy-connection` and
 * `proxy-authenticate`/`-authorization`): they describe one connection and never pass a proxy. The
 * one list the request path, the signer and the response use.
 */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer',
  'transfer-encoding', 'upgrade',
]);
