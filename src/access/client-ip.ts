import type { IncomingMessage } from 'node:http';
import proxyaddr from '@fastify/proxy-addr';

export type TrustProxy = boolean | number | readonly string[];

/**
 * The viewer's address for `allowIps` and policy `AWS:SourceIp`: the socket's peer, or — with
 * `server.trustProxy` — the address in X-Forwarded-For that the trusted hops vouch for (proxy-addr,
 * the rules Express and Fastify use: `true` trusts every hop, a number that many hops, a list of
 * addresses/CIDRs those hops).
 */
export function clientIpResolver(trust: TrustProxy): (req: IncomingMessage) => string {
  if (trust === false) return directClientIp;
  const fn = trustFunction(trust);
  return (req) => normalize(proxyaddr(req, fn));
}

function trustFunction(trust: Exclude<TrustProxy, false>): (addr: string, i: number) => boolean {
  return trust === true ? () => true : typeof trust === 'number' ? (_addr: string, i: number) => i < trust : proxyaddr.compile([...trust]);
}

/**
 * Whether the socket's peer is a trusted proxy, so that its X-Forwarded-Proto may be believed. A
 * viewer talking to the proxy directly must not choose the scheme its signed URL is judged with.
 */
export function peerTrustResolver(trust: TrustProxy): (req: IncomingMessage) => boolean {
  if (trust === false) return () => false;
  const fn = trustFunction(trust);
  return (req) => fn(req.socket.remoteAddress ?? '', 0);
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
function normalize(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

export function directClientIp(req: IncomingMessage): string {
  return normalize(req.socket.remoteAddress ?? '');
}
