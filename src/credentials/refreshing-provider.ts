import { OriginSignerError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { Credentials } from '../signing/types.js';
import type { CredentialProvider, CredentialState } from './provider.js';

/** Credentials answered with less than this left are a failed refresh (like S3 Express's MIN_SESSION_USE_MS). */
export const MIN_LIFETIME_MS = 1000;

/** Fetches a fresh set from its source (IMDS, STS, a file, …); rejects with a short reason. */
export type CredentialFetcher = () => Promise<Credentials>;

/** The longest delay setTimeout honours (Node's timers docs: "delay … larger than 2147483647"). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface RefreshOptions {
  /** Milliseconds since the epoch; injected so tests control time. */
  readonly clock: () => number;
  /** A number in [0, 1); injected so tests can pin the jitter. */
  readonly random: () => number;
  /** Refresh this long before expiry (capped at half the credentials' lifetime). */
  readonly refreshBeforeMs: number;
  readonly log: Logger;
  /** First retry delay after a failed refresh; doubles up to `maxRetryMs`. */
  readonly minRetryMs?: number;
  readonly maxRetryMs?: number;
  /** Told of every refresh outcome (metrics). */
  readonly onRefresh?: (name: string, ok: boolean) => void;
}

/**
 * Temporary credentials that renew themselves ahead of expiry:
 * - refresh at `expiration − min(refreshBefore, lifetime / 2)`, jittered by up to a fifth of that
 *   window so replicas do not all call the endpoint at the same second;
 * - one refresh at a time however many requests arrive (single flight);
 * - on failure keep signing with the current set until it expires, retrying with capped,
 *   jittered exponential backoff;
 * - never hand out an expired set: `current()` returns undefined and `get()` rejects with
 *   OS_ERR_CREDENTIALS_UNAVAILABLE naming the last error, so the viewer gets a 503, not a
 *   request the store would refuse.
 */
export class RefreshingCredentialProvider implements CredentialProvider {
  readonly name: string;
  readonly #fetch: CredentialFetcher;
  readonly #o: Required<RefreshOptions>;
  #current: Credentials | undefined;
  #fetchedAt = 0;
  #inflight: Promise<Credentials> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failures = 0;
  /** Until when a failed source is left alone (the current backoff delay). */
  #nextRetryAt = -Infinity;
  #lastError: string | undefined;
  #refreshes = 0;
  #closed = false;

  constructor(name: string, fetch: CredentialFetcher, o: RefreshOptions) {
    this.name = name;
    this.#fetch = fetch;
    this.#o = { minRetryMs: 1000, maxRetryMs: 60_000, onRefresh: () => {}, ...o };
  }

  /** First fetch; resolves either way (a failure is retried in the background). */
  async start(): Promise<void> {
    await this.refresh().catch(() => undefined);
  }

  /** Slack kept before the real expiry: a request signed now must still be valid on arrival. */
  #margin(c: Credentials): number {
    const lifetime = (c.expiration?.getTime() ?? Infinity) - this.#fetchedAt;
    return Math.min(2000, lifetime / 10);
  }

  #valid(c: Credentials | undefined): c is Credentials {
    if (!c) return false;
    if (!c.expiration) return true;
    return c.expiration.getTime() - this.#o.clock() > this.#margin(c);
  }

  current(): Credentials | undefined {
    const c = this.#current;
    return this.#valid(c) ? c : undefined;
  }

  get(): Promise<Credentials> {
    const c = this.current();
    if (c) return Promise.resolve(c);
    // Expired or never fetched. Do not hammer a failing endpoint with one attempt per request:
    // until the backoff delay is over, answer with the last error at once.
    if (!this.#inflight && this.#o.clock() < this.#nextRetryAt) return Promise.reject(this.#unavailable());
    return this.refresh().catch(() => Promise.reject(this.#unavailable()));
  }

  #unavailable(): OriginSignerError {
    const had = this.#current?.expiration ? `credentials expired at ${this.#current.expiration.toISOString()}` : 'no credentials fetched yet';
    return new OriginSignerError('OS_ERR_CREDENTIALS_UNAVAILABLE', `credentials "${this.name}": ${had}; last refresh failed: ${this.#lastError ?? 'pending'}`);
  }

  /** Fetches now (joining a fetch already under way). */
  refresh(): Promise<Credentials> {
    if (this.#inflight) return this.#inflight;
    const started = this.#o.clock();
    const attempt = this.#fetch().then(
      (c) => {
        if (c.expiration && c.expiration.getTime() <= this.#o.clock()) throw new Error(`the source returned credentials that expired at ${c.expiration.toISOString()}`);
        // Keys with a moment left would be refreshed again at once (half their lifetime), and a
        // request signed with them would arrive expired: a failure, retried on the backoff.
        if (c.expiration && c.expiration.getTime() - this.#o.clock() < MIN_LIFETIME_MS) throw new Error(`the source returned credentials that expire at ${c.expiration.toISOString()}, less than ${MIN_LIFETIME_MS} ms from now`);
        return c;
      },
    );
    this.#inflight = attempt.then(
      (c) => {
        this.#inflight = undefined;
        const rotated = this.#current !== undefined && this.#current.accessKeyId !== c.accessKeyId;
        this.#current = c;
        this.#fetchedAt = started;
        this.#failures = 0;
        this.#nextRetryAt = -Infinity;
        this.#lastError = undefined;
        this.#refreshes++;
        this.#o.onRefresh(this.name, true);
        this.#o.log.info({ credentials: this.name, accessKeyId: c.accessKeyId, expiration: c.expiration?.toISOString(), rotated }, 'credentials refreshed');
        this.#schedule(this.#nextRefreshDelay(c));
        return c;
      },
      (err: unknown) => {
        this.#inflight = undefined;
        this.#failures++;
        this.#lastError = (err as Error).message;
        const delay = this.#retryDelay();
        this.#nextRetryAt = this.#o.clock() + delay;
        this.#o.onRefresh(this.name, false);
        this.#o.log.warn(
          { credentials: this.name, failures: this.#failures, retryInMs: Math.round(delay), expiration: this.#current?.expiration?.toISOString(), err: this.#lastError },
          'credentials refresh failed',
        );
        this.#schedule(delay);
        throw err;
      },
    );
    return this.#inflight;
  }

  #nextRefreshDelay(c: Credentials): number | undefined {
    if (!c.expiration) return undefined; // long-lived keys: nothing to renew
    const now = this.#o.clock();
    const expiry = c.expiration.getTime();
    const window = Math.min(this.#o.refreshBeforeMs, (expiry - now) / 2);
    const at = expiry - window + this.#o.random() * (window / 5);
    return Math.max(0, at - now);
  }

  #retryDelay(): number {
    const base = Math.min(this.#o.maxRetryMs, this.#o.minRetryMs * 2 ** (this.#failures - 1));
    return base / 2 + (this.#o.random() * base) / 2;
  }

  #schedule(delay: number | undefined): void {
    clearTimeout(this.#timer);
    if (delay === undefined || this.#closed) return;
    // Node fires a timer longer than 2^31 − 1 ms (~24.8 days) after 1 ms (TimeoutOverflowWarning):
    // credentials that long-lived are refreshed after 24.8 days instead, early but once.
    this.#timer = setTimeout(() => void this.refresh().catch(() => undefined), Math.min(delay, MAX_TIMER_MS));
    this.#timer.unref();
  }

  state(): CredentialState {
    return {
      name: this.name,
      expiration: this.#current?.expiration,
      valid: this.#valid(this.#current),
      refreshes: this.#refreshes,
      consecutiveFailures: this.#failures,
      lastError: this.#lastError,
    };
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }
}
