import { pino, type Logger, type DestinationStream, type LoggerOptions } from 'pino';
import { isoTime } from './iso-time.js';

export type { Logger };

/** What `pino.destination()` returns (pino's SonicBoom). */
export type Destination = ReturnType<typeof pino.destination>;

/**
 * Paths pino censors wherever a log call puts them: credentials, tokens, signatures and cookies.
 * Queries are logged without their signature parameters (safe-query.ts), so those never get there.
 */
export const REDACT_PATHS = [
  'authorization', '*.authorization', '*.*.authorization',
  'secretAccessKey', '*.secretAccessKey', '*.*.secretAccessKey',
  'sessionToken', '*.sessionToken', '*.*.sessionToken',
  'signingKey', '*.signingKey', '*.*.signingKey',
  'cookie', '*.cookie', '*.*.cookie',
  '*["x-amz-security-token"]', '*.*["x-amz-security-token"]',
  '*["x-amz-s3session-token"]', '*.*["x-amz-s3session-token"]',
];

/** The line format of every log line: the level's name, an ISO time, the pid. */
export const LINE_FORMAT: LoggerOptions = {
  base: { pid: process.pid },
  timestamp: isoTime,
  formatters: { level: (label) => ({ level: label }) },
};

/**
 * A write of at most PIPE_BUF bytes to a pipe is atomic. Each write to standard output is whole
 * lines up to this size, so workers sharing the primary's standard output never split a line.
 */
export const PIPE_BUF = 4096;

export function createLogger(level: string, destination: DestinationStream = pino.destination({ dest: 1, maxWrite: PIPE_BUF })): Logger {
  return pino({ level, ...LINE_FORMAT, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}

/** Lines a stalled reader of standard output may fall behind by before new lines are dropped. */
const ACCESS_BACKLOG = 16 * 1024 * 1024;

/**
 * Standard output for access lines, through pino's asynchronous destination: one write per batch
 * of whole lines just under PIPE_BUF (a write per line costs a measurable share of a small
 * request), at least every 100 ms, never blocking the event loop. pino writes out what is left
 * when the process exits; whoever closes the proxy waits for it with `flush()` first.
 */
export function accessLogDestination(fd = 1): Destination {
  const dest = pino.destination({ dest: fd, sync: false, maxWrite: PIPE_BUF, minLength: PIPE_BUF - 1, periodicFlush: 100, maxLength: ACCESS_BACKLOG });
  dest.once('drop', () => process.stderr.write('origin-signer: standard output is not being read; access lines are being dropped\n'));
  return dest;
}
