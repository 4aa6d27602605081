import { writeSync } from 'node:fs';
import { pino, type Logger, type DestinationStream } from 'pino';
import { isoTime } from './iso-time.js';
import { LineBatcher } from './line-batcher.js';

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
export interface AccessLogDestination {
  write(line: string): unknown;
  flushSync(): void;
  /** The last flush, and no periodic one after it. */
  end(): void;
}

/**
 * Standard output for access lines, batched up to 4 KiB — one write(2) per line costs a measurable
 * share of a small request — and flushed at least every 100 ms, so a quiet proxy never holds a line
 * back. The batch is written synchronously: an asynchronous fs.write hands every batch to libuv's
 * thread pool and back, a cross-thread round trip per batch that a busy core pays for in every
 * small request (bench/NOTES.md). Whoever stops the process calls `flushSync()` first: nothing else
 * flushes a synchronous batch at exit, and the last requests' lines were lost (test
 * ops-access-log-flushed-at-shutdown). Why not pino's SonicBoom any more: log/line-batcher.ts.
 */
export function accessLogDestination(fd = 1): AccessLogDestination {
  return new LineBatcher(fd, {
    batchLength: 4096,
    flushMs: 100,
    onFatal: (err) => {
      try {
        writeSync(2, `origin-signer: access log stopped, standard output failed (${err.code ?? err.message})\n`);
      } catch {
        // Standard error is gone too: nothing left to tell.
      }
    },
  });
}
