import { pino, type Logger, type DestinationStream } from 'pino';
import { isoTime } from './iso-time.js';

export type { Logger };

/**
 * Paths pino censors wherever a log call puts them: credentials, tokens, signatures and cookies.
 * The request path is logged without its query string, so signature parameters never get there.
 */
export const REDACT_PATHS = [
  'authorization', '*.authorization', '*.*.authorization',
  'secretAccessKey', '*.secretAccessKey', '*.*.secretAccessKey',
  'sessionToken', '*.sessionToken', '*.*.sessionToken',
  'signingKey', '*.signingKey', '*.*.signingKey',
  'cookie', '*.cookie', '*.*.cookie',
  '*["x-amz-security-token"]', '*.*["x-amz-security-token"]',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** Where access lines go: a stream that batches them and can write what it holds at once. */
export interface AccessLogDestination extends DestinationStream {
  flushSync(): void;
}

/**
 * Standard output for access lines, batched up to 4 KiB — one write(2) per line costs a measurable
 * share of a small request — and flushed at least every 100 ms, so a quiet proxy never holds a line
 * back. The batch is written synchronously, pino's default: an asynchronous fs.write hands every
 * batch to libuv's thread pool and back, which on a busy core cost about 10 % of a 1 KiB request's
 * CPU (measured A/B, README "Performance"). Whoever stops the process calls `flushSync()` first:
 * nothing flushes a synchronous batch at exit (pino registers its exit flush only for asynchronous
 * destinations), and the last requests' lines were lost (test ops-access-log-flushed-at-shutdown).
 */
export function accessLogDestination(): AccessLogDestination {
  return pino.destination({ dest: 1, sync: true, minLength: 4096, periodicFlush: 100 });
}
