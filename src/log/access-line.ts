import { pino, type DestinationStream, type Logger } from 'pino';
import { LINE_FORMAT } from './logger.js';

/** One finished exchange, as its access-log line shows it (README "Operations → Logs"). */
export interface AccessEntry {
  readonly reqId: string;
  readonly block: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly query: string | undefined;
  readonly status: number;
  readonly bytesIn: number | undefined;
  readonly bytesOut: number;
  readonly upstreamStatus: number | undefined;
  readonly upstreamMs: number | undefined;
  readonly ms: number;
  readonly credentials: string | undefined;
  readonly error: string | undefined;
  readonly denied: string | undefined;
  readonly aborted: true | undefined;
}

/**
 * The access log: one line per finished request (`"msg":"request"`), fields left out when
 * undefined, by a pino logger of its own so its lines can be batched apart from the others. No
 * redaction: an entry never holds a secret (no headers; the query without signature parameters).
 */
export class AccessLog {
  readonly #log: Logger;

  constructor(level: string, destination: DestinationStream) {
    this.#log = pino({ level, ...LINE_FORMAT }, destination);
  }

  /** The log level (`log.level`); a reload sets it. Access lines need `info` or below. */
  get level(): string {
    return this.#log.level;
  }

  set level(level: string) {
    this.#log.level = level;
  }

  write(entry: AccessEntry): void {
    this.#log.info(entry, 'request');
  }
}
