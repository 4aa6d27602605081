import { stringify } from 'yaml';
import { loadConfigText } from '../config/load.js';
import { createLogger } from '../log/logger.js';
import { startProxy } from '../server/serve.js';

/** Test-only keys for the demo origin: they exist nowhere but in this process. */
const DEMO_KEYS = { accessKeyId: 'DEMOKEYORIGINSIGNER1', secretAccessKey: 'demo/secret+key=only-for-the-built-in-demo' };
const BUCKET = 'demo-bucket';

/** Objects the demo serves; the last has the kind of key that broke other signing proxies. */
const OBJECTS: Array<[string, string, string]> = [
  ['hello.txt', 'text/plain; charset=utf-8', 'Hello from a private bucket, signed by origin-signer.\n'],
  ['videos/intro.m3u8', 'application/vnd.apple.mpegurl', '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-ENDLIST\n'],
  ['docs/café menu (2026) + prices=€.txt', 'text/plain; charset=utf-8', 'Espresso 2.40\nCroissant 1.90\n'],
];

const encodePath = (key: string): string => key.split('/').map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');

/**
 * The strict origin's package (packages/strict-origin, an npm workspace): in a development checkout
 * only, never in a production install or the Docker image. Named through a variable so that the
 * production build does not look for it; what the demo uses of it is typed below.
 */
const STRICT_ORIGIN: string = '@origin-signer/strict-origin';

/** The part of the strict origin the demo uses (test/e2e/demo.test.ts checks it against the package's types). */
export interface DemoStrictOrigin {
  startStrictOrigin(opts: { credentials: Array<{ accessKeyId: string; secretAccessKey: string }>; buckets: string[]; region: string }): Promise<{
    readonly url: string;
    readonly port: number;
    putObject(bucket: string, key: string, body: string, meta: { contentType: string }): Promise<void>;
    close(): Promise<void>;
  }>;
}

/** `serve` without a config where the strict origin is not installed (a production install). */
export class DemoUnavailableError extends Error {}

async function loadStrictOrigin(): Promise<DemoStrictOrigin> {
  try {
    return (await import(STRICT_ORIGIN)) as DemoStrictOrigin;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_MODULE_NOT_FOUND' && e.message.includes(`'${STRICT_ORIGIN}'`)) {
      throw new DemoUnavailableError(`serve needs a config: origin-signer serve --config FILE (the built-in demo needs a development checkout: npm ci && npm start)`);
    }
    throw new Error(`the demo could not load ${STRICT_ORIGIN} (in a checkout: npm ci && npm run build): ${e.message}`);
  }
}

/**
 * `npm start` with no config: the strict S3-compatible origin the tests use (it verifies every
 * signature and refuses anonymous requests), seeded with a few objects, and the proxy in front of
 * it with virtual-hosted SigV4. Prints the curl lines that show the difference. Throws
 * DemoUnavailableError, before starting anything, where the strict origin is not installed.
 */
export async function runDemo(): Promise<void> {
  const { startStrictOrigin } = await loadStrictOrigin();
  const origin = await startStrictOrigin({ credentials: [DEMO_KEYS], buckets: [BUCKET], region: 'us-east-1' });
  for (const [key, contentType, body] of OBJECTS) await origin.putObject(BUCKET, key, body, { contentType });

  const port = Number(process.env.PORT ?? 8080);
  const config = {
    server: { host: '127.0.0.1', port, admin: { host: '127.0.0.1', port: Number(process.env.ADMIN_PORT ?? 0) } },
    proxies: [
      {
        path: '/demo/',
        upstream: { type: 's3', bucket: BUCKET, region: 'us-east-1', endpoint: `http://localhost:${origin.port}`, addressing: 'virtual' },
        credentials: DEMO_KEYS,
        methods: ['GET', 'HEAD'],
      },
    ],
  };
  const loaded = loadConfigText(stringify(config), '(built-in demo)');
  const log = createLogger('info');
  const proxy = await startProxy(loaded, { logger: log, reloadable: false });
  const awkward = encodePath(OBJECTS[2]![0]);
  process.stdout.write(
    [
      '',
      'origin-signer demo',
      `  strict S3-compatible origin: ${origin.url}  (bucket "${BUCKET}", refuses unsigned requests)`,
      `  proxy:                       ${proxy.url}/demo/  → virtual-hosted ${BUCKET}.localhost:${origin.port}, SigV4`,
      `  admin:                       ${proxy.adminUrl}/metrics  /healthz  /readyz`,
      '',
      'Straight to the bucket (refused: 403 AccessDenied):',
      `  curl -i ${origin.url}/${BUCKET}/hello.txt`,
      'Through the proxy (signed, 200):',
      `  curl -i ${proxy.url}/demo/hello.txt`,
      `  curl -i ${proxy.url}/demo/${awkward}`,
      `  curl -i -H 'Range: bytes=0-4' ${proxy.url}/demo/hello.txt`,
      '',
      'Ctrl-C stops both.',
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    void proxy.close().then(() => origin.close()).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
