import { isIP } from 'node:net';
import { hostMatches, hostOf } from '../http/host-pattern.js';

/**
 * Whether an admin request's Host may reach the status page and the cache API. A web page a
 * browser loads from an attacker's name that resolves to this address (DNS rebinding) would be
 * "same origin" with them and could read the status or purge the cache: an address, `localhost`
 * or a name the operator lists (`server.admin.hosts`) cannot be such a name. The probes and
 * /metrics answer any Host (Envoy's health checks send the cluster's name).
 */
export function adminHostAllowed(header: string | undefined, names: readonly string[]): boolean {
  const host = hostOf(header);
  if (host === undefined) return false;
  if (host === 'localhost' || isIP(host.startsWith('[') ? host.slice(1, -1) : host) !== 0) return true;
  return names.some((n) => hostMatches(n, host));
}
