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

/** Standard error, for a command whose standard output is its result (`URL=$(origin-signer presign …)`). */
export const stderrDestination = (): DestinationStream => pino.destination({ dest: 2, maxWrite: PIPE_BUF });

/** Lines a stalled reader of standard output may fall behind by before new lines are dropped. */
const ACCESS_BACKLOG = 16 * 1024 * 1024;

/** A batch when this process alone writes to its standard output: fewer writes, each a thread-pool round trip. */
const SOLE_WRITER_BATCH = 64 * 1024;

/**
 * Standard output for access lines, through pino's asynchronous destination: one write per batch
 * of whole lines (a write per line costs a measurable share of a small request), at least every
 * 100 ms, never blocking the event loop. With `shared` (cluster workers on one pipe) a batch stays
 * under PIPE_BUF, so the workers never split each other's lines. Bytes, not strings
 * (contentMode 'buffer'): in text mode sonic-boom measures the growing batch again for every line.
 * Write to it through lineStream(). pino writes out what is left when the process exits; whoever
 * closes the proxy waits for it with `flush()` first.
 */
export function accessLogDestination(fd = 1, shared = false): Destination {
  const batch = shared ? PIPE_BUF : SOLE_WRITER_BATCH;
  const dest = pino.destination({ dest: fd, sync: false, contentMode: 'buffer', maxWrite: batch, minLength: batch - 1, periodicFlush: 100, maxLength: ACCESS_BACKLOG });
  dest.once('drop', () => process.stderr.write('origin-signer: standard output is not being read; access lines are being dropped\n'));
  return dest;
}

/** What pino writes to (it writes each line as a string) for a destination that takes bytes. */
export function lineStream(dest: Destination): DestinationStream {
  // sonic-boom's types name only strings; in contentMode 'buffer' it takes bytes (its README).
  return { write: (line: string) => void dest.write(Buffer.from(line) as unknown as string) };
}
