import { XMLParser } from 'fast-xml-parser';
import { OriginSignerError } from '../errors.js';
import type { Credentials } from '../signing/types.js';
import type { CredentialProvider, CredentialState } from './provider.js';

/**
 * S3 Express One Zone sessions (README "S3 flavours"): a directory bucket's object requests are
 * signed with the credentials CreateSession returns, which last five minutes
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateSession.html).
 */

/** Renew a session this long before it expires (the AWS SDKs do the same). */
export const SESSION_REFRESH_BEFORE_MS = 60_000;
/** A session is not used within this much of its expiry: a request signed now must still be valid on arrival. */
const SESSION_MARGIN_MS = 2000;
/** After a failed CreateSession, requests that find no session are refused at once for this long. */
const RETRY_AFTER_FAILURE_MS = 1000;
/** Never renew a session more often than this, whatever its expiry (a store whose clock is behind). */
const MIN_SESSION_USE_MS = 1000;

// Values stay strings (a key id must not become a number); entities decoded once.
const parser = new XMLParser({ parseTagValue: false, trimValues: true, processEntities: true, htmlEntities: false, removeNSPrefix: true });

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The session credentials of a CreateSession answer (`<CreateSessionResult><Credentials>` with
 * AccessKeyId, SecretAccessKey, SessionToken, Expiration). The token is an S3 session token: it is
 * sent as `x-amz-s3session-token`, never as `x-amz-security-token`. Throws on anything else.
 */
export function parseCreateSession(xml: string): Credentials & { readonly expiration: Date } {
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch {
    throw new Error('CreateSession answered a body that is not XML');
  }
  const c = (doc as { CreateSessionResult?: { Credentials?: Record<string, unknown> } } | undefined)?.CreateSessionResult?.Credentials;
  if (!c || typeof c !== 'object') throw new Error('CreateSession answered without <CreateSessionResult><Credentials>');
  const accessKeyId = text(c.AccessKeyId);
  const secretAccessKey = text(c.SecretAccessKey);
  const s3SessionToken = text(c.SessionToken);
  const expires = text(c.Expiration);
  const missing = [['AccessKeyId', accessKeyId], ['SecretAccessKey', secretAccessKey], ['SessionToken', s3SessionToken], ['Expiration', expires]].filter(([, v]) => v === undefined).map(([n]) => n);
  if (missing.length > 0) throw new Error(`CreateSession answered credentials without ${missing.join(', ')}`);
  const expiration = new Date(expires!);
  if (Number.isNaN(expiration.getTime())) throw new Error(`CreateSession answered an Expiration that is not a date: ${JSON.stringify(expires!.slice(0, 40))}`);
  return { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey!, s3SessionToken: s3SessionToken!, expiration };
}

export interface SessionProviderOptions {
  /** For messages: the directory bucket and the credential set CreateSession is signed with. */
  readonly bucket: string;
  readonly baseName: string;
  /** One CreateSession call: resolves with the session's credentials (parseCreateSession) or rejects with a short reason. */
  readonly createSession: () => Promise<Credentials & { readonly expiration: Date }>;
  /** Milliseconds since the epoch; injected so tests control time. */
  readonly clock: () => number;
  readonly refreshBeforeMs?: number;
}

/**
 * The session credentials of one directory bucket, for the signer (a {@link CredentialProvider}):
 * - fetched on first use (no timers: an idle proxy creates no sessions);
 * - one CreateSession at a time however many requests want one (single flight);
 * - renewed once a request comes after `expiration − refreshBefore`: that request and the ones
 *   after it keep signing with the current session while the new one is fetched;
 * - never handed out within a margin of expiry: then requests wait for the new session, and a
 *   failed CreateSession refuses them with OS_ERR_CREDENTIALS_UNAVAILABLE (503) naming the failure.
 */
export class S3ExpressSessionProvider implements CredentialProvider {
  readonly name: string;
  readonly #o: SessionProviderOptions;
  readonly #refreshBeforeMs: number;
  #session: (Credentials & { readonly expiration: Date }) | undefined;
  #refreshAt = Infinity;
  #inflight: Promise<Credentials> | undefined;
  #retryAt = -Infinity;
  #refreshes = 0;
  #failures = 0;
  #lastError: string | undefined;

  constructor(o: SessionProviderOptions) {
    this.#o = o;
    this.#refreshBeforeMs = o.refreshBeforeMs ?? SESSION_REFRESH_BEFORE_MS;
    this.name = `${o.baseName} (S3 Express session for ${o.bucket})`;
  }

  #usable(now: number): boolean {
    return this.#session !== undefined && this.#session.expiration.getTime() - now > SESSION_MARGIN_MS;
  }

  current(): Credentials | undefined {
    const now = this.#o.clock();
    if (this.#session && now >= this.#refreshAt && !this.#inflight && now >= this.#retryAt) void this.#refresh().catch(() => undefined);
    return this.#usable(now) ? this.#session : undefined;
  }

  get(): Promise<Credentials> {
    const c = this.current();
    if (c) return Promise.resolve(c);
    const pending = this.#inflight ?? (this.#o.clock() < this.#retryAt ? undefined : this.#refresh());
    if (!pending) return Promise.reject(this.#unavailable());
    return pending.catch(() => Promise.reject(this.#unavailable()));
  }

  #unavailable(): OriginSignerError {
    return new OriginSignerError('OS_ERR_CREDENTIALS_UNAVAILABLE', `credentials "${this.#o.baseName}": no S3 Express session for bucket ${this.#o.bucket}; CreateSession failed: ${this.#lastError ?? 'pending'}`);
  }

  #refresh(): Promise<Credentials> {
    const started = this.#o.clock();
    this.#inflight = this.#o.createSession().then(
      (s) => {
        this.#inflight = undefined;
        const now = this.#o.clock();
        if (s.expiration.getTime() - now <= SESSION_MARGIN_MS) throw this.#failed(new Error(`the session expires at ${s.expiration.toISOString()}, which is not in the future`));
        this.#session = s;
        this.#refreshAt = Math.max(s.expiration.getTime() - this.#refreshBeforeMs, started + MIN_SESSION_USE_MS);
        this.#refreshes++;
        this.#failures = 0;
        this.#lastError = undefined;
        this.#retryAt = -Infinity;
        return s;
      },
      (err: unknown) => {
        this.#inflight = undefined;
        throw this.#failed(err as Error);
      },
    );
    return this.#inflight;
  }

  #failed(err: Error): Error {
    this.#failures++;
    this.#lastError = err.message;
    this.#retryAt = this.#o.clock() + RETRY_AFTER_FAILURE_MS;
    return err;
  }

  async start(): Promise<void> {}

  state(): CredentialState {
    return { name: this.name, expiration: this.#session?.expiration, valid: this.#usable(this.#o.clock()), refreshes: this.#refreshes, consecutiveFailures: this.#failures, lastError: this.#lastError };
  }

  close(): void {}
}
