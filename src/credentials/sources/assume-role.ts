import type { CredentialProvider } from '../provider.js';
import type { CredentialFetcher } from '../refreshing-provider.js';
import { loadSdk, toCredentials } from './sdk.js';
import { sdkFailure } from './sdk-error.js';
import type { SdkLogger } from './sdk-logger.js';
import { stsClientConfig } from './sts-client.js';

export interface AssumeRoleOptions {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly externalId?: string;
  readonly source: CredentialProvider;
  readonly stsEndpoint?: string;
  readonly region?: string;
  readonly timeoutMs: number;
  readonly logger: SdkLogger;
}

/**
 * STS AssumeRole by the SDK's fromTemporaryCredentials, signed with the source set's current
 * credentials. A new provider per fetch: its STS client would otherwise keep the first master
 * credentials it was given (the SDK memoizes a client's credentials until near their expiry), and
 * a rotated source must sign the next AssumeRole.
 */
export function assumeRoleFetcher(o: AssumeRoleOptions): CredentialFetcher {
  return async () => {
    const source = await o.source.get();
    if (!source.secretAccessKey) throw new Error(`sourceCredentials "${o.source.name}" is a pre-derived signing key, which cannot sign STS requests`);
    const { fromTemporaryCredentials } = await loadSdk();
    try {
      const provider = fromTemporaryCredentials({
        masterCredentials: { accessKeyId: source.accessKeyId, secretAccessKey: source.secretAccessKey, ...(source.sessionToken ? { sessionToken: source.sessionToken } : {}) },
        params: {
          RoleArn: o.roleArn,
          RoleSessionName: o.sessionName,
          DurationSeconds: o.durationSeconds,
          ...(o.externalId ? { ExternalId: o.externalId } : {}),
        },
        clientConfig: stsClientConfig(o),
        logger: o.logger,
      });
      return toCredentials(await provider());
    } catch (err) {
      throw sdkFailure('STS AssumeRole', err, [source.secretAccessKey, source.sessionToken]);
    }
  };
}
