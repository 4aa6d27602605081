import type { CredentialFetcher } from '../refreshing-provider.js';
import { loadSdk, toCredentials } from './sdk.js';
import { sdkFailure } from './sdk-error.js';
import type { SdkLogger } from './sdk-logger.js';

/** AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (/ AWS_CREDENTIAL_EXPIRATION), read by the SDK's fromEnv. */
export function envFetcher(o: { logger: SdkLogger }): CredentialFetcher {
  return async () => {
    const { fromEnv } = await loadSdk();
    try {
      return toCredentials(await fromEnv({ logger: o.logger })());
    } catch (err) {
      throw sdkFailure('environment', err);
    }
  };
}
