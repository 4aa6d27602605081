import type { AddressInfo } from 'node:net';
import type { LoadedConfig } from '../config/types.js';
import { createProviders } from '../credentials/providers.js';
import { OriginSignerError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { createRuntime } from '../proxy/runtime.js';
import { PoolRegistry } from '../upstream/pools.js';
import { buildApp, type RuntimeHolder } from './app.js';

export interface RunningProxy {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface ServeOptions {
  readonly logger: Logger;
  readonly clock?: () => number;
  /** Overrides server.host / server.port (the demo uses this). */
  readonly host?: string;
  readonly port?: number;
}

/** Starts the proxy for a loaded config and returns once it listens. */
export async function startProxy(loaded: LoadedConfig, opts: ServeOptions): Promise<RunningProxy> {
  const { config } = loaded;
  const log = opts.logger;
  for (const w of loaded.warnings) log.warn({ config: loaded.file }, w);
  const pools = new PoolRegistry();
  const providers = createProviders(config);
  const holder: RuntimeHolder = { current: createRuntime(config, { pools, providers, clock: opts.clock ?? Date.now }) };
  const app = buildApp(holder, log);
  const host = opts.host ?? config.server.host;
  const port = opts.port ?? config.server.port;
  try {
    await app.listen({ host, port });
  } catch (err) {
    throw new OriginSignerError('OS_ERR_LISTEN', `cannot listen on ${host}:${port}: ${(err as Error).message}`, { cause: err });
  }
  const addr = app.server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${shownHost}:${addr.port}`;
  log.info({ url, blocks: config.proxies.map((b) => `${b.path} → ${b.type === 's3' ? `${b.bucket} (${b.endpoint}, ${b.signing.version} ${b.signing.mode})` : b.endpoint}`) }, 'listening');
  return {
    url,
    port: addr.port,
    async close() {
      await app.close();
      await pools.close();
      for (const p of providers.values()) p.close();
    },
  };
}
