import type { TestContext } from 'node:test';
import { startStrictOrigin, type StrictOrigin } from '@origin-signer/strict-origin';
import { blockFor, startProxyCli, SIGNING_MODES, type ProxyProcess } from './proxy-cli.js';

export const BUCKET = 'e2e-bucket';
export const KEYS = { accessKeyId: 'AKIDPROXYE2E0000001', secretAccessKey: 'proxy/e2e+secret=KEY/0123456789' };
export const TEMP_KEYS = { accessKeyId: 'ASIAPROXYE2ETEMP001', secretAccessKey: 'temp/e2e+secret=KEY/abcdef', sessionToken: 'IQoJb3JpZ2luX2VjE//////////wEaCXVzLWVhc3Q+token/with+plus==' };

export interface ModeBlock {
  readonly prefix: string;
  readonly version: 'v4' | 'v2';
  readonly mode: 'header' | 'query';
  readonly token: boolean;
  readonly addressing: 'virtual' | 'path';
  /** `auth` the strict origin records for requests of this block. */
  readonly auth: string;
}

/** Every signing mode, with and without a session token, alternating virtual-hosted and path-style. */
export const MODE_BLOCKS: readonly ModeBlock[] = SIGNING_MODES.flatMap(({ version, mode }, i) =>
  [false, true].map((token) => ({
    prefix: `/${version}-${mode}${token ? '-token' : ''}/`,
    version,
    mode,
    token,
    addressing: (i + (token ? 1 : 0)) % 2 === 0 ? ('virtual' as const) : ('path' as const),
    auth: `${version}-${mode}`,
  })),
);

export interface ModesFixture {
  readonly origin: StrictOrigin;
  readonly proxy: ProxyProcess;
}

/** A strict origin holding `objects`, and one proxy process with a block per {@link MODE_BLOCKS}. */
export async function startModesFixture(t: TestContext, objects: ReadonlyArray<readonly [string, Buffer | string]>, extra: Record<string, unknown> = {}): Promise<ModesFixture> {
  const origin = await startStrictOrigin({ credentials: [KEYS, TEMP_KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  for (const [key, body] of objects) await origin.putObject(BUCKET, key, body, { contentType: 'application/octet-stream' });
  const proxy = await startProxyCli(t, {
    log: { level: 'info' },
    server: { host: '127.0.0.1', port: 0 },
    proxies: MODE_BLOCKS.map((b) =>
      blockFor(origin.port, { path: b.prefix, bucket: BUCKET, version: b.version, mode: b.mode, addressing: b.addressing, credentials: b.token ? TEMP_KEYS : KEYS, ...extra }),
    ),
  });
  return { origin, proxy };
}
