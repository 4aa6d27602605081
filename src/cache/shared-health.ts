import type { Logger } from '../log/logger.js';

/** What /readyz, /cache/stats and the metrics show of the shared tier. */
export interface SharedStatus {
  /** Connected, and its last command (if any since a failure) succeeded. */
  readonly up: boolean;
  /** Where it is (host:port/db, never the password) and, when down, since when and why. */
  readonly detail: string;
}

/** The shared tier's operations, as errors are counted (`origin_signer_cache_shared_errors_total{op}`). */
export type SharedOp = 'connect' | 'get' | 'put' | 'lock' | 'delete' | 'purge';

const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 10_000;

/**
 * Whether the shared tier is worth asking, and the one warning that says it is not. A failed
 * command (unreachable, timed out, refused: auth, OOM) counts an error and sets the tier aside
 * for a while — 1 s, doubling to 10 s while it keeps failing — so a slow or dead Redis costs one
 * request at most one `timeout` per while, not every request. A full Redis (OOM) sets aside only
 * the writes. Logged once when it starts failing and once when it answers again, never per request.
 */
export class SharedHealth {
  readonly #log: Pick<Logger, 'warn' | 'info'>;
  readonly #where: string;
  readonly #secrets: readonly string[];
  readonly #onError: (op: SharedOp) => void;
  readonly #now: () => number;
  #failing: { since: number; reason: string } | undefined;
  #full = false;
  #until = 0;
  #writesUntil = 0;
  #backoff = 0;

  constructor(o: { log: Pick<Logger, 'warn' | 'info'>; where: string; secrets: readonly string[]; onError: (op: SharedOp) => void; now?: () => number }) {
    this.#log = o.log;
    this.#where = o.where;
    this.#secrets = o.secrets.filter((x) => x !== '');
    this.#onError = o.onError;
    this.#now = o.now ?? Date.now;
  }

  /** Whether to send a read (or, `write`, a write) now. */
  usable(connected: boolean, write = false): boolean {
    const now = this.#now();
    return connected && now >= this.#until && (!write || now >= this.#writesUntil);
  }

  /** How long until a read may be sent again (0: now), connection aside. */
  setAsideMs(): number {
    return Math.max(0, this.#until - this.#now());
  }

  failed(op: SharedOp, err: unknown): void {
    this.#onError(op);
    const reason = this.reason(err);
    const now = this.#now();
    this.#backoff = Math.min(Math.max(MIN_BACKOFF_MS, this.#backoff * 2), MAX_BACKOFF_MS);
    if (op === 'put' && reason.startsWith('OOM')) {
      this.#writesUntil = now + this.#backoff;
      if (!this.#full) this.#log.warn({ shared: this.#where, reason }, `shared cache ${this.#where} is full (${reason}); entries are not shared until it takes writes again`);
      this.#full = true;
      return;
    }
    this.#until = now + this.#backoff;
    if (this.#failing) {
      this.#failing.reason = reason;
      return;
    }
    this.#failing = { since: now, reason };
    this.#log.warn({ shared: this.#where, op, reason }, `shared cache ${this.#where} unavailable (${reason}); serving from this replica's own stores and the bucket until it answers again`);
  }

  /** A command answered: the tier is back, if it was away. */
  succeeded(write = false): void {
    this.#backoff = 0;
    this.#until = 0;
    if (write) {
      this.#writesUntil = 0;
      this.#full = false;
    }
    if (!this.#failing) return;
    const downMs = this.#now() - this.#failing.since;
    this.#failing = undefined;
    this.#log.info({ shared: this.#where, downMs }, `shared cache ${this.#where} answers again`);
  }

  status(connected: boolean): SharedStatus {
    const f = this.#failing;
    if (f) return { up: false, detail: `${this.#where} unavailable since ${new Date(f.since).toISOString()} (${f.reason}); serving from local stores and the bucket` };
    if (!connected) return { up: false, detail: `${this.#where} not connected; serving from local stores and the bucket` };
    return { up: true, detail: `${this.#where} up${this.#full ? ' (full: not taking entries)' : ''}` };
  }

  /** An error as one short line, with the password (should any message hold it) masked. */
  reason(err: unknown): string {
    const e = err as { code?: unknown; message?: unknown } | null;
    let text = typeof e?.message === 'string' && e.message !== '' ? e.message : String(err);
    if (typeof e?.code === 'string' && !text.includes(e.code)) text = `${e.code}: ${text}`;
    for (const secret of this.#secrets) text = text.split(secret).join('********');
    return text.replace(/\s+/g, ' ').slice(0, 200);
  }
}
