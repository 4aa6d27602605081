import type { CredentialFetcher } from '../refreshing-provider.js';
import { loadSdk, toCredentials } from './sdk.js';
import { sdkFailure } from './sdk-error.js';
import type { SdkLogger } from './sdk-logger.js';

/**
 * ECS task role / EKS Pod Identity credentials
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html), by the
 * SDK's fromHttp — the provider its default chain uses for these variables. fromContainerMetadata
 * is not used: it reads neither AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE nor accepts the EKS Pod
 * Identity agent's address. fromHttp re-reads the token file on every call (EKS rotates it) and
 * checks that a plain-http FULL_URI names loopback or the ECS/EKS agent.
 */
export function containerFetcher(o: { timeoutMs: number; logger: SdkLogger }): CredentialFetcher {
  return async () => {
    const { fromHttp } = await loadSdk();
    try {
      // maxRetries 0: the refreshing provider retries, with backoff, logged and counted.
      return toCredentials(await fromHttp({ timeout: o.timeoutMs, maxRetries: 0, logger: o.logger })());
    } catch (err) {
      throw sdkFailure('container credentials endpoint', err);
    }
  };
}
