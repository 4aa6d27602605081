import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * RFC 6761 §6.3: names under `localhost.` resolve to loopback, and applications may do that
 * themselves rather than ask a resolver (glibc does not). With it, a virtual-hosted bucket on a
 * local S3-compatible store (`http://localhost:9000` → `bucket.localhost:9000`) works without
 * /etc/hosts entries — the demo and the tests use exactly that.
 */
export function localhostAwareLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  if (hostname.endsWith('.localhost')) {
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  dnsLookup(hostname, options, callback as (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family: number) => void);
}
