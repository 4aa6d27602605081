import type { IncomingMessage } from 'node:http';
import { pino, type DestinationStream, type Logger } from 'pino';
import { LINE_FORMAT } from './logger.js';
import { viewerFieldsOf, type ViewerFields, type ViewerFieldSettings } from './viewer-fields.js';

/** One finished exchange, as its access-log line shows it (README "Operations → Logs"). */
export interface AccessEntry {
  readonly reqId: string;
  readonly block: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly query: string | undefined;
  readonly remoteAddr: string | undefined;
  readonly userAgent: string | undefined;
  readonly referer: string | undefined;
  /** The request headers `log.requestHeaders` names, those the request had. */
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly status: number;
  readonly bytesIn: number | undefined;
  readonly bytesOut: number;
  readonly upstreamStatus: number | undefined;
  /** The store's `x-amz-request-id` and `x-amz-id-2`, what its operators ask for. */
  readonly upstreamRequestId: string | undefined;
  readonly upstreamId2: string | undefined;
  readonly upstreamMs: number | undefined;
  readonly ms: number;
  readonly credentials: string | undefined;
  /** The shield cache's result for a cached block's read (X-Cache). */
  readonly cache?: string | undefined;
  readonly error: string | undefined;
  /** What the viewer was not told (a 5xx's cause, an access denial's detail). */
  readonly detail: string | undefined;
  readonly denied: string | undefined;
  readonly aborted: true | undefined;
}

const NO_VIEWER_FIELDS: ViewerFieldSettings = { trustProxy: false, requestHeaders: [] };

/**
 * The access log: one line per finished request (`"msg":"request"`), fields left out when
 * undefined, by a pino logger of its own so its lines can be batched apart from the others. No
 * redaction: an entry never holds a secret (only the headers `log.requestHeaders` names, which
 * the config check keeps free of credentials; the query without signature parameters).
 */
export class AccessLog {
  readonly #log: Logger;
  #viewer: (req: IncomingMessage, peer: string | undefined) => ViewerFields;

  constructor(level: string, destination: DestinationStream, viewer: ViewerFieldSettings = NO_VIEWER_FIELDS) {
    this.#log = pino({ level, ...LINE_FORMAT }, destination);
    this.#viewer = viewerFieldsOf(viewer);
  }

  /** The log level (`log.level`); a reload sets it. Access lines need `info` or below. */
  get level(): string {
    return this.#log.level;
  }

  set level(level: string) {
    this.#log.level = level;
  }

  /** `server.trustProxy` and `log.requestHeaders`; a reload sets them. */
  set viewerFields(settings: ViewerFieldSettings) {
    this.#viewer = viewerFieldsOf(settings);
  }

  /** The viewer's address, user agent, referer and logged headers of `req`; `peer`: its socket's address when it arrived. */
  viewer(req: IncomingMessage, peer: string | undefined): ViewerFields {
    return this.#viewer(req, peer);
  }

  /** At `error` for the proxy's own faults, `warn` for other 5xx: a log shipper can alert on the level. */
  write(entry: AccessEntry): void {
    if (entry.error === 'OS_ERR_INTERNAL') this.#log.error(entry, 'request');
    else if (entry.status >= 500) this.#log.warn(entry, 'request');
    else this.#log.info(entry, 'request');
  }
}
