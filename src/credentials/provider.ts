import type { Credentials } from '../signing/types.js';

/**
 * Where a block's signer gets its credentials. `current()` is synchronous so the hot path never
 * awaits: it returns credentials that are valid now, or undefined when there are none (not yet
 * fetched, or expired and not refreshed). `get()` waits for valid credentials or rejects.
 */
export interface CredentialProvider {
  readonly name: string;
  current(): Credentials | undefined;
  get(): Promise<Credentials>;
  /** Resolves once the first fetch is done (or has failed and will be retried). */
  start(): Promise<void>;
  state(): CredentialState;
  close(): void;
}

/** What a provider reports for logs, readiness and metrics. */
export interface CredentialState {
  readonly name: string;
  readonly expiration: Date | undefined;
  /** True when `current()` would return credentials. */
  readonly valid: boolean;
  readonly refreshes: number;
  readonly consecutiveFailures: number;
  readonly lastError: string | undefined;
}

/** Keys written in the config: always there, never expire. */
export class StaticCredentialProvider implements CredentialProvider {
  readonly name: string;
  readonly #credentials: Credentials;
  readonly #resolved: Promise<Credentials>;

  constructor(name: string, credentials: Credentials) {
    this.name = name;
    this.#credentials = credentials;
    this.#resolved = Promise.resolve(credentials);
  }

  current(): Credentials {
    return this.#credentials;
  }

  get(): Promise<Credentials> {
    return this.#resolved;
  }

  async start(): Promise<void> {}

  state(): CredentialState {
    return { name: this.name, expiration: undefined, valid: true, refreshes: 0, consecutiveFailures: 0, lastError: undefined };
  }

  close(): void {}
}
