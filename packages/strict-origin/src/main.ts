#!/usr/bin/env node
/**
 * Runs a strict origin from the command line, for manual testing:
 *
 *   node packages/strict-origin/dist/src/main.js --port 9000 --access-key AK --secret-key SK --bucket b
 *
 * Options: --host, --port, --access-key, --secret-key, --session-token,
 * --bucket (repeatable), --region, --service s3|mediastore, --data-dir,
 * --virtual-host-suffix. Prints the URL on the first line of stdout and serves
 * until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startStrictOrigin } from './server.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      'access-key': { type: 'string' },
      'secret-key': { type: 'string' },
      'session-token': { type: 'string' },
      bucket: { type: 'string', multiple: true, default: [] },
      region: { type: 'string', default: 'us-east-1' },
      service: { type: 'string', default: 's3' },
      'data-dir': { type: 'string' },
      'virtual-host-suffix': { type: 'string', default: 'localhost' },
    },
    strict: true,
  });
  const akid = values['access-key'];
  const secret = values['secret-key'];
  if (!akid || !secret) throw new Error('--access-key and --secret-key are required');
  if (values.service !== 's3' && values.service !== 'mediastore') throw new Error('--service must be s3 or mediastore');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port ${values.port}`);
  const origin = await startStrictOrigin({
    host: values.host,
    port,
    credentials: [{ accessKeyId: akid, secretAccessKey: secret, ...(values['session-token'] ? { sessionToken: values['session-token'] } : {}) }],
    buckets: values.bucket,
    region: values.region,
    service: values.service,
    virtualHostSuffix: values['virtual-host-suffix'],
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  });
  process.stdout.write(`${origin.url}\n`);
  const stop = (): void => {
    void origin.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`strict-origin: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
