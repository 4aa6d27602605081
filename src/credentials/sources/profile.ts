import type { CredentialFetcher } from '../refreshing-provider.js';
import { loadSdk, toCredentials } from './sdk.js';
import { sdkFailure } from './sdk-error.js';
import type { SdkLogger } from './sdk-logger.js';
import { stsClientConfig } from './sts-client.js';

export interface ProfileOptions {
  readonly profile?: string;
  readonly credentialsFile?: string;
  readonly configFile?: string;
  readonly stsEndpoint?: string;
  readonly region?: string;
  readonly timeoutMs: number;
  readonly logger: SdkLogger;
}

/**
 * A profile of the shared `credentials` / `config` files, resolved by the SDK's fromIni — static
 * keys, `role_arn` + `source_profile`, `web_identity_token_file`, `credential_process`, SSO — so a
 * profile means here what it means to the AWS CLI. `ignoreCache`: the files are re-read on every
 * fetch. Unset options fall back to AWS_PROFILE, AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE.
 */
export function profileFetcher(o: ProfileOptions): CredentialFetcher {
  return async () => {
    const { fromIni } = await loadSdk();
    try {
      const provider = fromIni({
        ...(o.profile ? { profile: o.profile } : {}),
        ...(o.credentialsFile ? { filepath: o.credentialsFile } : {}),
        ...(o.configFile ? { configFilepath: o.configFile } : {}),
        ignoreCache: true,
        logger: o.logger,
        clientConfig: stsClientConfig(o),
      });
      return toCredentials(await provider());
    } catch (err) {
      throw sdkFailure(`profile ${o.profile ?? process.env.AWS_PROFILE ?? 'default'}`, err);
    }
  };
}
