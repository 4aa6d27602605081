import type { Credentials } from '../../signing/types.js';
import type { CredentialFetcher } from '../refreshing-provider.js';

export interface ChainLink {
  readonly name: string;
  /** Whether the environment configures this source at all (an unconfigured one is skipped). */
  readonly applies: () => boolean;
  readonly fetch: CredentialFetcher;
}

/**
 * The AWS SDK default order (https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html):
 * environment, shared profile, web identity, container, instance metadata. The first source that
 * yields credentials is kept for later refreshes, as the SDKs do, so a transient failure does not
 * silently switch identities.
 */
export function chainFetcher(links: readonly ChainLink[]): CredentialFetcher {
  let chosen: ChainLink | undefined;
  return async (): Promise<Credentials> => {
    if (chosen) return chosen.fetch();
    const reasons: string[] = [];
    for (const link of links) {
      if (!link.applies()) {
        reasons.push(`${link.name}: not configured`);
        continue;
      }
      try {
        const c = await link.fetch();
        chosen = link;
        return c;
      } catch (err) {
        reasons.push(`${link.name}: ${(err as Error).message}`);
      }
    }
    throw new Error(`no source in the chain gave credentials (${reasons.join('; ')})`);
  };
}
