import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { WITHOUT_SCHEMA_COMPILERS } from './fastify-options.js';
import type { Logger } from '../log/logger.js';
import type { ReadyReport } from './readiness.js';
import type { StatusReport } from '../observability/status.js';
import type { AdminAnswer } from './cache-admin.js';
import { renderStatusPage } from './status-page.js';
import { adminHostAllowed } from './admin-host.js';

export interface AdminServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface AdminDeps {
  /** Prometheus text of this process, or of every cluster worker aggregated. */
  metrics(): Promise<string>;
  readonly contentType: string;
  ready(): Promise<ReadyReport>;
  /** The status page's data (GET /, GET /status.json). */
  status(): Promise<StatusReport>;
  /** The shield cache's admin API (cache-admin.ts); with several workers, each worker's answer combined. */
  cachePurge(body: unknown): Promise<AdminAnswer>;
  cacheStats(): Promise<AdminAnswer>;
  /** `server.admin.hosts`, as loaded at start. */
  readonly adminHosts: readonly string[];
  readonly log: Logger;
}

/** The routes any Host may reach: probes and scrapers name the admin address as they please. */
const OPEN: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The admin listener, apart from viewer traffic (default 127.0.0.1:9090): /healthz (the process
 * answers), /readyz (it can serve: config, credentials, optional canary), /metrics (Prometheus),
 * a status page for people (/, the same as JSON at /status.json), and the cache's purge and stats.
 */
export async function startAdmin(host: string, port: number, deps: AdminDeps): Promise<AdminServer> {
  const app = Fastify({ logger: false, ...WITHOUT_SCHEMA_COMPILERS });
  app.addHook('onRequest', async (req, reply) => {
    // The matched route, not the raw URL: `/%73tatus.json` is routed to /status.json too.
    const route = req.routeOptions.url;
    if (route !== undefined && !OPEN.has(route) && !adminHostAllowed(req.headers.host, deps.adminHosts)) {
      return reply.code(403).header('cache-control', 'no-store').send({ message: 'reach the status page and the cache API by address, localhost or a name in server.admin.hosts' });
    }
  });
  app.get('/healthz', async (_req, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const report = await deps.ready();
    return reply.code(report.ready ? 200 : 503).header('cache-control', 'no-store').send(report);
  });
  app.get('/metrics', async (_req, reply) => reply.header('content-type', deps.contentType).send(await deps.metrics()));
  app.post('/cache/purge', async (req, reply) => {
    const answer = await deps.cachePurge(req.body);
    return reply.code(answer.status).header('cache-control', 'no-store').send(answer.body);
  });
  app.get('/cache/stats', async (_req, reply) => {
    const answer = await deps.cacheStats();
    return reply.code(answer.status).header('cache-control', 'no-store').send(answer.body);
  });
  app.get('/status.json', async (_req, reply) => reply.header('cache-control', 'no-store').send(await deps.status()));
  // The page only ever loads itself and status.json: a strict CSP costs nothing and keeps it so.
  app.get('/', async (_req, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(renderStatusPage(await deps.status())),
  );
  await app.listen({ host, port });
  const addr = app.server.address() as AddressInfo;
  const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  deps.log.info({ url }, 'admin listening');
  return { url, close: () => app.close() };
}
