#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfigFile } from './config/load.js';
import { checkCommand } from './commands/check.js';
import { CliError } from './commands/cli-error.js';
import { describeFailure } from './commands/failure.js';
import { createLogger, stderrDestination } from './log/logger.js';
import { startProxy, type RunningProxy } from './server/serve.js';
import { readSecret, signingKeyYaml } from './commands/signing-key.js';
import { signUrlCommand } from './commands/sign-url.js';
import { presignCommand } from './commands/presign.js';
import { DEFAULT_CONFIG, healthCommand } from './commands/health.js';
import { isClusterWorker, runPrimary, serveAsWorker, tellSiblings, workerCount } from './server/cluster.js';

const USAGE = `origin-signer — a signing reverse proxy for private S3 buckets

Usage:
  origin-signer serve [--config FILE]   run the proxy (no --config, in a development checkout: the demo)
  origin-signer check FILE [--json] [--allow-missing-env]
                                        validate FILE as start-up does: every problem and warning
                                        at once, then the effective config (secrets masked)
  origin-signer signing-key --region R --service S [--date YYYYMMDD] [--access-key-id ID]
                [--secret-key-env VAR]  print a pre-derived SigV4 key for the config; the secret
                                        comes from VAR, or from standard input
  origin-signer sign-url --key-pair-id ID --private-key FILE --url URL
                (--expires SECONDS | --expires-at TIME | --policy FILE)
                [--not-before TIME] [--ip CIDR] [--hash-algorithm SHA1|SHA256] [--cookies]
                                        a CloudFront-compatible signed URL (or Set-Cookie lines)
  origin-signer presign --config FILE --path /prefix/key [--expires SECONDS | --expires-at TIME]
                [--method GET]          an S3 presigned URL for the block's bucket
  origin-signer health [--config FILE]  exit 0 when the admin listener's /healthz answers 200, else 1
                                        (default FILE: /etc/origin-signer/config.yaml, the image's)
  origin-signer --help | --version

--expires is always seconds from now; --expires-at and --not-before take epoch seconds or an
ISO 8601 date-time. Mistakes in a command exit 2 with one line on stderr.
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
      if (err instanceof DemoUnavailableError) throw new CliError(err.message);
      throw err;
    }
    return;
  }
  const loaded = loadConfigFile(configFile);
  const log = createLogger(loaded.config.log.level);
  if (isClusterWorker()) {
    const started = handleSignals(loaded.config.server.shutdownTimeout, log, configFile);
    const proxy = await startProxy(loaded, { logger: log, admin: false, onInvalidate: tellSiblings });
    started(proxy);
    serveAsWorker(proxy);
    return;
  }
  if (workerCount(loaded.config.server.workers) > 1) return runPrimary(loaded, log);
  const started = handleSignals(loaded.config.server.shutdownTimeout, log, configFile);
  started(await startProxy(loaded, { logger: log }));
}

export async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      json: { type: 'boolean' },
      'allow-missing-env': { type: 'boolean' },
      region: { type: 'string' },
      service: { type: 'string' },
      date: { type: 'string' },
      'access-key-id': { type: 'string' },
      'secret-key-env': { type: 'string' },
      'key-pair-id': { type: 'string' },
      'private-key': { type: 'string' },
      url: { type: 'string' },
      expires: { type: 'string' },
      'expires-at': { type: 'string' },
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
  currentCommand = command;
  if (values.help) return void process.stdout.write(USAGE);
  if (values.version) return void process.stdout.write(`${version()}\n`);
  switch (command) {
    case undefined:
      // The demo is `serve` without --config (npm start); a bare invocation only shows the usage.
      throw new CliError(values.config ? `a command is needed: origin-signer serve --config ${values.config}` : 'a command is needed', true);
    case 'serve':
      return serve(values.config);
    case 'check': {
      const file = rest[0] ?? values.config;
      if (!file) throw new CliError('check needs a config file: origin-signer check FILE');
      const out = checkCommand({ file, json: values.json === true, allowMissingEnv: values['allow-missing-env'] === true });
      process.stdout.write(out.stdout);
      process.stderr.write(out.stderr);
      process.exitCode = out.exitCode;
      return;
    }
    case 'signing-key': {
      if (!values.region || !values.service) throw new CliError('signing-key needs --region and --service');
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
      const out = signUrlCommand({
        ...pickDefined({
          keyPairId: values['key-pair-id'],
          privateKey: values['private-key'],
          url: values.url,
          expires: values.expires,
          expiresAt: values['expires-at'],
          notBefore: values['not-before'],
          ip: values.ip,
          policy: values.policy,
          hashAlgorithm: values['hash-algorithm'],
        }),
        cookies: values.cookies === true,
        now: Date.now,
      });
      process.stdout.write(out);
      return;
    }
    case 'presign': {
      const file = values.config ?? rest[0];
      if (!file || !values.path) throw new CliError('presign needs --config FILE and --path /prefix/key');
      const url = await presignCommand({
        config: file,
        path: values.path,
        ...pickDefined({ expires: values.expires, expiresAt: values['expires-at'] }),
        method: (values.method ?? 'GET').toUpperCase(),
        now: Date.now,
        log: createLogger('warn', stderrDestination()), // stdout holds only the URL
      });
      process.stdout.write(url);
      return;
    }
    case 'health': {
      // Within the image's HEALTHCHECK --timeout (3 s), Node's start-up included.
      const out = await healthCommand({ config: values.config ?? rest[0] ?? DEFAULT_CONFIG, timeoutMs: 2000, env: process.env });
      process.stdout.write(`${out.line}\n`);
      process.exitCode = out.exitCode;
      return;
    }
    default:
      throw new CliError(`unknown command "${command}"`, true);
  }
}

function pickDefined<T extends Record<string, string | undefined>>(o: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: string };
}

// Set once the arguments are parsed, so a failure can name the command it belongs to.
let currentCommand: string | undefined;

main(process.argv.slice(2)).catch((err: unknown) => {
  const failure = describeFailure(err, currentCommand, USAGE);
  process.stderr.write(failure.stderr);
  process.exit(failure.exitCode);
});
