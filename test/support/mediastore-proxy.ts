// A MediaStore container (the strict origin in MediaStore mode) and the proxy, run as the CLI, with
// one block `/ms/` over it under keyPrefix `live/`: signing and methods as the test asks.
import type { TestContext } from 'node:test';
import { startStrictOrigin, type StrictOrigin } from '@origin-signer/strict-origin';
import { KEYS } from './modes-fixture.js';
import { startProxyCli } from './proxy-cli.js';

export async function mediaStoreProxy(t: TestContext, block: { signing: Record<string, unknown>; methods: string[] }, region = 'eu-west-1'): Promise<{ origin: StrictOrigin; port: number }> {
  const origin = await startStrictOrigin({ credentials: [KEYS], service: 'mediastore', region });
  t.after(() => origin.close());
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [{ path: '/ms/', upstream: { type: 'mediastore', endpoint: `http://127.0.0.1:${origin.port}`, region, keyPrefix: 'live/' }, credentials: KEYS, ...block }],
  });
  return { origin, port: proxy.port };
}
