import { z } from 'zod';
import { boolFrom, cidr, headerName, intFrom, nonEmpty, seconds } from './schema-units.js';
import { hostPattern } from './site-schema.js';

/**
 * The process's own top-level sections (README `server`, `log`, `readiness`): its listeners,
 * workers and viewer timeouts, what its log says, and what /readyz checks.
 */

const port = intFrom(z.number().int().min(0).max(65535));

export const serverSchema = z.strictObject({
  host: nonEmpty('host').default('0.0.0.0'),
  port: port.default(8080),
  workers: z.union([z.literal('auto'), intFrom(z.number().int().min(1).max(256))], { error: 'workers must be "auto" or a number of processes from 1 to 256' }).default(1),
  /** Seconds to wait for in-flight requests on shutdown. */
  shutdownTimeout: intFrom(z.number().int().min(0).max(3600)).default(30),
  /**
   * Whether X-Forwarded-For names the viewer: false (the socket's peer is the viewer), true (every
   * hop is trusted), a number of trusted hops, or the addresses/CIDRs of the trusted proxies.
   */
  trustProxy: z.union([boolFrom(), intFrom(z.number().int().min(1).max(32)), z.array(cidr).min(1)]).default(false),
  /** Reload when the file changes (polled, so Kubernetes ConfigMap symlink swaps are seen too). */
  watchConfig: boolFrom().default(false),
  /** Seconds a viewer has to send the request line and headers (slowloris): then 408. */
  headersTimeout: seconds(0.1, 600).default(10),
  /** Seconds a viewer may read nothing of a response before it is cut, freeing the upstream connection. */
  sendTimeout: seconds(0.1, 3600).default(60),
  /** The admin listener: /healthz, /readyz, /metrics. Keep it off the public network. */
  admin: z
    .strictObject({
      host: nonEmpty('admin.host').default('127.0.0.1'),
      port: port.default(9090),
      /** Host names the status page and the cache API may be reached by, besides addresses and localhost (DNS rebinding). */
      hosts: z.array(hostPattern).default([]),
    })
    .prefault({}),
});

/** What /readyz checks besides the config and the credentials. */
export const readinessSchema = z.strictObject({
  /** A proxied path (an object that exists, e.g. /vod/healthcheck.txt) sent as a signed HEAD. */
  probe: z.string().startsWith('/', 'readiness.probe is a request path such as /vod/canary.txt').optional(),
  timeout: seconds(0.05, 60).default(2),
});

export const logSchema = z.strictObject({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  signatureDebug: boolFrom().default(false),
  /** Request headers the access line shows by name; credential-bearing ones are refused (checks/logged-headers.ts). */
  requestHeaders: z.array(headerName).default([]),
});
