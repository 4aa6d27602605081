import type { TestContext } from 'node:test';
import { startStrictOrigin, type StrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from './modes-fixture.js';
import { startProxyCli, type ProxyProcess } from './proxy-cli.js';
import { PAYLOAD_MODES, writeBlock, type PayloadMode } from './writes-helpers.js';

/** A strict origin and the CLI proxy with one write block per payload mode: `/<mode>/`, keyPrefix `<mode>/`. */
export async function payloadModesLab(t: TestContext, modes: readonly PayloadMode[] = PAYLOAD_MODES): Promise<{ origin: StrictOrigin; proxy: ProxyProcess }> {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: modes.map((payload) => writeBlock(origin.port, { path: `/${payload}/`, bucket: BUCKET, credentials: KEYS, payload, keyPrefix: `${payload}/` })),
  });
  return { origin, proxy };
}
