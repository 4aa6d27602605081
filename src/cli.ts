#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { effectiveConfig } from './config/effective.js';
import { loadConfigFile } from './config/load.js';
import { OriginSignerError } from './errors.js';
import { createLogger } from './log/logger.js';
import { startProxy, type RunningProxy } from './server/serve.js';
import { readSecret, signingKeyYaml } from './commands/signing-key.js';
import { signUrlCommand } from './commands/sign-url.js';
import { presignCommand } from './commands/presign.js';
import { isClusterWorker, runPrimary, serveAsWorker, workerCount } from './server/cluster.js';

const USAGE = `origin-signer — a signing reverse proxy for private S3 buckets

Usage:
  origin-signer serve [--config FILE]   run the proxy (no --config, in a development checkout: the demo)
  origin-signer check FILE              validate FILE, print the effective config (secrets masked)
  origin-signer signing-key --region R --service S [--date YYYYMMDD] [--access-key-id ID]
                [--secret-key-env VAR]  print a pre-derived SigV4 key for the config; the secret
                                        comes from VAR, or from standard input
  origin-signer sign-url --key-pair-id ID --private-key FILE --url URL (--expires T | --policy FILE)
                [--not-before T] [--ip CIDR] [--hash-algorithm SHA1|SHA256] [--cookies]
                                        a CloudFront-compatible signed URL (or Set-Cookie lines)
  origin-signer presign --config FILE --path /prefix/key [--expires SECONDS] [--method GET]
                                        an S3 presigned URL for the block's bucket
  origin-signer --help | --version
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Stops on SIGTERM/SIGINT: no new connections, in-flight requests finish, bounded by a timeout;
 * SIGHUP reloads. The handlers are installed before the proxy starts, so a signal that arrives
 * while it is still starting is not fatal (the default action of SIGHUP is to exit).
 */
function handleSignals(timeoutSeconds: number, log: ReturnType<typeof createLogger>, configFile: string): (proxy: RunningProxy) => void {
  let proxy: RunningProxy | undefined;
  let closing = false;
  let stopRequested: string | undefined;
  let reloadRequested = false;
  const stop = (signal: string): void => {
    if (!proxy) {
      stopRequested = signal;
      return;
    }
    if (closing) return;
    closing = true;
    log.info({ signal, timeoutSeconds }, 'shutting down');
    const timer = setTimeout(() => {
      log.warn('shutdown timeout reached with requests still in flight; exiting');
      process.exit(1);
    }, timeoutSeconds * 1000);
    timer.unref();
    proxy.close().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err: (err as Error).message }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {
    if (!proxy) {
      reloadRequested = true; // the file may have changed after it was read: reload once up
      return;
    }
    log.info({ config: configFile }, 'SIGHUP: reloading the config');
    void proxy.reload();
  });
  return (running) => {
    proxy = running;
    if (stopRequested) stop(stopRequested);
    else if (reloadRequested) void running.reload();
  };
}

async function serve(configFile: string | undefined): Promise<void> {
  if (configFile === undefined) {
    const { runDemo, DemoUnavailableError } = await import('./demo/demo.js');
    try {
      await runDemo();
    } catch (err) {
      if (err instanceof DemoUnavailableError) throw new UsageError(err.message, false);
      throw err;
    }
    return;
  }
  const loaded = loadConfigFile(configFile);
  const log = createLogger(loaded.config.log.level);
  if (isClusterWorker()) {
    const started = handleSignals(loaded.config.server.shutdownTimeout, log, configFile);
    const proxy = await startProxy(loaded, { logger: log, admin: false });
    started(proxy);
    serveAsWorker(proxy);
    return;
  }
  if (workerCount(loaded.config.server.workers) > 1) return runPrimary(loaded, log);
  const started = handleSignals(loaded.config.server.shutdownTimeout, log, configFile);
  started(await startProxy(loaded, { logger: log }));
}

function check(file: string): void {
  const loaded = loadConfigFile(file);
  process.stdout.write(`# ${file}: valid\n`);
  for (const w of loaded.warnings) process.stdout.write(`# warning: ${w}\n`);
  process.stdout.write(stringify(effectiveConfig(loaded.config), { lineWidth: 0 }));
}

export async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      region: { type: 'string' },
      service: { type: 'string' },
      date: { type: 'string' },
      'access-key-id': { type: 'string' },
      'secret-key-env': { type: 'string' },
      'key-pair-id': { type: 'string' },
      'private-key': { type: 'string' },
      url: { type: 'string' },
      expires: { type: 'string' },
      'not-before': { type: 'string' },
      ip: { type: 'string' },
      policy: { type: 'string' },
      cookies: { type: 'boolean' },
      'hash-algorithm': { type: 'string' },
      path: { type: 'string' },
      method: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help) return void process.stdout.write(USAGE);
  if (values.version) return void process.stdout.write(`${version()}\n`);
  switch (command ?? 'serve') {
    case 'serve':
      return serve(values.config);
    case 'check': {
      const file = rest[0] ?? values.config;
      if (!file) throw new UsageError('check needs a config file: origin-signer check FILE');
      return check(file);
    }
    case 'signing-key': {
      if (!values.region || !values.service) throw new UsageError('signing-key needs --region and --service');
      const secretAccessKey = await readSecret(values['secret-key-env'], process.stdin);
      process.stdout.write(
        signingKeyYaml({
          region: values.region,
          service: values.service,
          ...(values.date ? { date: values.date } : {}),
          ...(values['access-key-id'] ? { accessKeyId: values['access-key-id'] } : {}),
          secretAccessKey,
          now: Date.now,
        }),
      );
      return;
    }
    case 'sign-url': {
      const out = (() => {
        try {
          return signUrlCommand({
            ...pickDefined({
              keyPairId: values['key-pair-id'],
              privateKey: values['private-key'],
              url: values.url,
              expires: values.expires,
              notBefore: values['not-before'],
              ip: values.ip,
              policy: values.policy,
              hashAlgorithm: values['hash-algorithm'],
            }),
            cookies: values.cookies === true,
          });
        } catch (err) {
          throw new UsageError(`sign-url: ${(err as Error).message}`, false);
        }
      })();
      process.stdout.write(out);
      return;
    }
    case 'presign': {
      const file = values.config ?? rest[0];
      if (!file || !values.path) throw new UsageError('presign needs --config FILE and --path /prefix/key');
      const expires = values.expires === undefined ? 3600 : Number(values.expires);
      if (!Number.isInteger(expires)) throw new UsageError('presign: --expires is a number of seconds', false);
      if (expires < 1 || expires > 604800) throw new UsageError('presign: --expires must be 1 to 604800 seconds', false);
      let url: string;
      try {
        url = await presignCommand({ config: file, path: values.path, expires, method: (values.method ?? 'GET').toUpperCase(), now: Date.now, log: createLogger('warn') });
      } catch (err) {
        if (err instanceof OriginSignerError) throw err;
        throw new UsageError(`presign: ${(err as Error).message}`, false);
      }
      process.stdout.write(url);
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

class UsageError extends Error {
  constructor(message: string, readonly showUsage = true) {
    super(message);
  }
}

function pickDefined<T extends Record<string, string | undefined>>(o: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: string };
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof OriginSignerError) {
    process.stderr.write(`origin-signer: ${err.code}: ${err.message}\n`);
  } else if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    const usage = err instanceof UsageError && !err.showUsage ? '' : `\n${USAGE}`;
    process.stderr.write(`origin-signer: ${(err as Error).message}\n${usage}`);
    process.exit(2);
  } else {
    process.stderr.write(`origin-signer: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
});
