import type { CredentialFetcher } from '../refreshing-provider.js';
import { loadSdk, toCredentials } from './sdk.js';
import { sdkFailure } from './sdk-error.js';
import type { SdkLogger } from './sdk-logger.js';
import { stsClientConfig } from './sts-client.js';

/**
 * The SDK's default chain, fromNodeProviderChain
 * (https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html): environment,
 * SSO, shared profile, credential_process, web identity, then the container endpoint or instance
 * metadata. The chain memoizes what it found until 5 minutes before expiry, so each refresh asks
 * with `forceRefresh`, which walks the chain again.
 */
export function chainFetcher(o: { allowImdsV1: boolean; timeoutMs: number; logger: SdkLogger }): CredentialFetcher {
  let chain: ReturnType<Awaited<ReturnType<typeof loadSdk>>['fromNodeProviderChain']> | undefined;
  return async () => {
    const { fromNodeProviderChain } = await loadSdk();
    chain ??= fromNodeProviderChain({
      timeout: o.timeoutMs,
      maxRetries: 0,
      ec2MetadataV1Disabled: !o.allowImdsV1,
      ignoreCache: true,
      logger: o.logger,
      clientConfig: stsClientConfig(o),
    });
    try {
      return toCredentials(await chain({ forceRefresh: true }));
    } catch (err) {
      throw sdkFailure('chain', err);
    }
  };
}
