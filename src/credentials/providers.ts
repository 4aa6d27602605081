import { createHash, randomInt } from 'node:crypto';
import type { ResolvedConfig, CredentialSpec } from '../config/types.js';
import type { SourceSpec } from '../config/credentials-schema.js';
import type { Logger } from '../log/logger.js';
import { withDeadline } from './deadline.js';
import { StaticCredentialProvider, type CredentialProvider } from './provider.js';
import { RefreshingCredentialProvider, type CredentialFetcher } from './refreshing-provider.js';
import { assumeRoleFetcher } from './sources/assume-role.js';
import { chainFetcher } from './sources/chain.js';
import { containerFetcher } from './sources/container.js';
import { envFetcher } from './sources/env.js';
import { instanceMetadataFetcher } from './sources/instance-metadata.js';
import { profileFetcher } from './sources/profile.js';
import { sdkLogger, type SdkLogger } from './sources/sdk-logger.js';
import { webIdentityFetcher } from './sources/web-identity.js';

export interface ProviderDeps {
  readonly log: Logger;
  readonly clock: () => number;
  readonly random?: () => number;
  /** Not read: the SDK's providers read process.env themselves. Kept until serve.ts stops passing it. */
  readonly env?: NodeJS.ProcessEnv;
  readonly onRefresh?: (name: string, ok: boolean) => void;
}

interface Entry {
  readonly fingerprint: string;
  readonly provider: CredentialProvider;
}

/** Sources read from local files or the environment: cheap to re-read, so a reload always does. */
const LOCAL_SOURCES = new Set(['env', 'profile']);

/**
 * The credential providers of one config: one per set in use (named sets and each block's inline
 * set). Across a reload, a provider whose definition did not change is kept — its credentials and
 * refresh schedule carry over. Static keys count as changed when the keys changed (the Unified
 * Origin cron + restart case, without the restart); local sources (env, profile) are always
 * re-read, and a role assumed from a source that was rebuilt is assumed again.
 */
export class CredentialRegistry {
  readonly #deps: ProviderDeps;
  #entries = new Map<string, Entry>();

  constructor(deps: ProviderDeps) {
    this.#deps = deps;
  }

  /**
   * Providers for `config`, reusing unchanged ones. Returns the map to use and the providers that
   * are new (to be started) and old (to be closed once the swap is done).
   */
  prepare(config: ResolvedConfig): { providers: Map<string, CredentialProvider>; fresh: CredentialProvider[]; retired: CredentialProvider[] } {
    const specs = new Map<string, CredentialSpec>();
    for (const spec of [...Object.values(config.credentials), ...config.proxies.map((b) => b.credentials)]) specs.set(spec.name, spec);
    const next = new Map<string, Entry>();
    const fresh: CredentialProvider[] = [];
    const build = (name: string, trail: readonly string[]): Entry => {
      const done = next.get(name);
      if (done) return done;
      const spec = specs.get(name);
      if (!spec) throw new Error(`credential set "${name}" is not defined`);
      if (trail.includes(name)) throw new Error(`credential sets loop: ${[...trail, name].join(' → ')}`);
      let fingerprint = fingerprintOf(spec);
      let source: CredentialProvider | undefined;
      let sourceKept = true;
      if (spec.kind === 'source' && spec.source.source === 'assume-role') {
        const src = build(spec.source.sourceCredentials, [...trail, name]);
        source = src.provider;
        fingerprint += `<${src.fingerprint}`;
        // A role is only as current as its source: if the source provider was rebuilt (new keys
        // in the file, a re-read profile), the role is re-assumed with it.
        sourceKept = src === this.#entries.get(spec.source.sourceCredentials);
      }
      const previous = this.#entries.get(name);
      const local = spec.kind === 'source' && LOCAL_SOURCES.has(spec.source.source);
      const reusable = !local && sourceKept && previous?.fingerprint === fingerprint;
      const entry: Entry = reusable && previous ? previous : { fingerprint, provider: this.#create(spec, source) };
      if (entry !== previous) fresh.push(entry.provider);
      next.set(name, entry);
      return entry;
    };
    for (const name of specs.keys()) build(name, []);
    const kept = new Set([...next.values()].map((e) => e.provider));
    const retired = [...this.#entries.values()].map((e) => e.provider).filter((p) => !kept.has(p));
    this.#entries = next;
    return { providers: new Map([...next].map(([name, e]) => [name, e.provider])), fresh, retired };
  }

  /** Every provider in use, for readiness and metrics. */
  all(): CredentialProvider[] {
    return [...this.#entries.values()].map((e) => e.provider);
  }

  close(): void {
    for (const e of this.#entries.values()) e.provider.close();
    this.#entries.clear();
  }

  #create(spec: CredentialSpec, source: CredentialProvider | undefined): CredentialProvider {
    if (spec.kind === 'static') return new StaticCredentialProvider(spec.name, spec.credentials);
    const d = this.#deps;
    return new RefreshingCredentialProvider(spec.name, fetcherFor(spec.name, spec.source, source, d), {
      clock: d.clock,
      random: d.random ?? (() => randomInt(0, 1_000_000) / 1_000_000),
      refreshBeforeMs: spec.source.refreshBefore * 1000,
      log: d.log,
      ...(d.onRefresh ? { onRefresh: d.onRefresh } : {}),
    });
  }
}

/** A hash of a set's definition (secrets included, so changed keys count as a change); never logged. */
function fingerprintOf(spec: CredentialSpec): string {
  const value = spec.kind === 'static' ? { ...spec.credentials, signingKey: spec.credentials.signingKey?.toString('base64') } : spec.source;
  return createHash('sha256').update(JSON.stringify(value)).digest('base64');
}

/** The SDK's profile resolution may run a `credential_process` command or an SSO refresh: no `timeout` key bounds those. */
const PROFILE_DEADLINE_MS = 30_000;
/** STS calls a profile makes (`role_arn`, `web_identity_token_file`): the other sources' default `timeout`. */
const PROFILE_STS_TIMEOUT_MS = 2000;

function fetcherFor(name: string, s: SourceSpec, source: CredentialProvider | undefined, d: ProviderDeps): CredentialFetcher {
  const logger = sdkLogger(d.log, name);
  if (s.source === 'env') return envFetcher({ logger });
  if (s.source === 'profile') {
    const fetch = profileFetcher({ logger, timeoutMs: PROFILE_STS_TIMEOUT_MS, ...pick(s, ['profile', 'credentialsFile', 'configFile', 'stsEndpoint', 'region']) });
    return () => withDeadline(fetch(), PROFILE_DEADLINE_MS, 'the profile');
  }
  const timeoutMs = s.timeout * 1000;
  const fetch = networkFetcher(s, source, { logger, timeoutMs });
  // `timeout` bounds each call; IMDS makes up to three in a row (token, role, credentials).
  return () => withDeadline(fetch(), 4 * timeoutMs, `the ${s.source} fetch`);
}

type NetworkSpec = Exclude<SourceSpec, { source: 'env' | 'profile' }>;

function networkFetcher(s: NetworkSpec, source: CredentialProvider | undefined, o: { logger: SdkLogger; timeoutMs: number }): CredentialFetcher {
  switch (s.source) {
    case 'instance-metadata':
      return instanceMetadataFetcher({ ...o, allowImdsV1: s.allowImdsV1, ...pick(s, ['endpoint']) });
    case 'container':
      return containerFetcher(o);
    case 'web-identity':
      return webIdentityFetcher({ ...o, ...pick(s, ['roleArn', 'tokenFile', 'sessionName', 'durationSeconds', 'stsEndpoint', 'region']) });
    case 'assume-role':
      if (!source) throw new Error('assume-role without a source provider');
      return assumeRoleFetcher({ ...o, source, roleArn: s.roleArn, sessionName: s.sessionName, durationSeconds: s.durationSeconds, ...pick(s, ['externalId', 'stsEndpoint', 'region']) });
    case 'chain':
      return chainFetcher({ ...o, allowImdsV1: s.allowImdsV1 });
  }
}

/** The keys of `o` among `keys` that are defined (exactOptionalPropertyTypes-friendly spreading). */
function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): { [P in K]?: Exclude<T[P], undefined> } {
  const out: Partial<Record<K, unknown>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out as { [P in K]?: Exclude<T[P], undefined> };
}
