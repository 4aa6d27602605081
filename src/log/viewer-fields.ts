import type { IncomingMessage } from 'node:http';
import { clientIpResolver, type TrustProxy } from '../access/client-ip.js';
import { safeQuery } from './safe-query.js';

/** What the access line says about the viewer: config's `server.trustProxy` and `log.requestHeaders`. */
export interface ViewerFieldSettings {
  readonly trustProxy: TrustProxy;
  /** Lower-case names; the config refuses credential-bearing ones. */
  readonly requestHeaders: readonly string[];
}

export interface ViewerFields {
  readonly remoteAddr: string | undefined;
  readonly userAgent: string | undefined;
  readonly referer: string | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;
}

/**
 * A header value is cut to this many characters: a line stays well under the 4 KiB a pipe writes
 * whole (logger.ts PIPE_BUF), and a viewer cannot make the log grow by sending long headers.
 */
const MAX_VALUE = 256;

function value(v: string | string[] | undefined): string | undefined {
  if (v === undefined) return undefined;
  const s = Array.isArray(v) ? v.join(', ') : v;
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE)}…` : s;
}

/** A Referer may be a signed URL: its signature and credential parameters are removed as the query's are. */
function safeReferer(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined) return undefined;
  const qi = s.indexOf('?');
  if (qi === -1) return value(s);
  const hash = s.indexOf('#', qi);
  const query = safeQuery(s.slice(qi + 1, hash === -1 ? undefined : hash));
  return value(query === undefined ? s.slice(0, qi) : `${s.slice(0, qi)}?${query}`);
}

/**
 * The viewer's fields of a request, the address as access rules see it (src/access/client-ip.ts).
 * `peer` is the socket's address noted when the request arrived: by the time the line is written
 * the socket may be gone (a viewer that left, a closed connection) and with it the address.
 */
export function viewerFieldsOf(settings: ViewerFieldSettings): (req: IncomingMessage, peer: string | undefined) => ViewerFields {
  const clientIp = clientIpResolver(settings.trustProxy);
  const names = settings.requestHeaders;
  return (req, peer) => {
    const remoteAddress = peer ?? req.socket?.remoteAddress;
    // client-ip reads only the headers and socket.remoteAddress (proxy-addr's contract).
    const asked = { headers: req.headers, socket: { remoteAddress } } as unknown as IncomingMessage;
    let headers: Record<string, string> | undefined;
    for (const name of names) {
      const v = value(req.headers[name]);
      if (v !== undefined) (headers ??= {})[name] = v;
    }
    return {
      remoteAddr: remoteAddress === undefined ? undefined : clientIp(asked) || undefined,
      userAgent: value(req.headers['user-agent']),
      referer: safeReferer(req.headers.referer),
      headers,
    };
  };
}
