import type { CredentialFetcher } from '../refreshing-provider.js';
import { imdsAtEndpointFetcher, v1FallbackOff } from './imds-endpoint.js';
import { loadSdk, toCredentials } from './sdk.js';
import { sdkFailure } from './sdk-error.js';
import type { SdkLogger } from './sdk-logger.js';

export interface ImdsOptions {
  /** Base URL given in the config; unset: the SDK's (AWS_EC2_METADATA_SERVICE_ENDPOINT(_MODE), else 169.254.169.254). */
  readonly endpoint?: string;
  /** Fall back to IMDSv1 (no session token) when the token request fails. Off unless asked for. */
  readonly allowImdsV1: boolean;
  readonly timeoutMs: number;
  readonly logger: SdkLogger;
}

/**
 * EC2 instance role credentials over IMDSv2
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-security-credentials.html)
 * by the SDK's fromInstanceMetadata, which takes its endpoint only from the environment or the
 * shared config file; a set with its own `endpoint` goes to imds-endpoint.ts instead.
 */
export function instanceMetadataFetcher(o: ImdsOptions): CredentialFetcher {
  if (o.endpoint) return imdsAtEndpointFetcher({ ...o, endpoint: o.endpoint });
  return async () => {
    const { fromInstanceMetadata } = await loadSdk();
    try {
      // The public provider builds a new inner one per call, so its "static stability" memory of
      // past credentials never answers for a failed refresh (checked in @smithy/credential-provider-imds).
      return toCredentials(await fromInstanceMetadata({ timeout: o.timeoutMs, maxRetries: 0, ec2MetadataV1Disabled: !o.allowImdsV1, logger: o.logger })());
    } catch (err) {
      // The SDK reports a failed token request only as "v1 fallback blocked": say it in our terms.
      if (!o.allowImdsV1 && (err as Error).name === 'InstanceMetadataV1FallbackError') throw new Error(`IMDS: ${v1FallbackOff('failed')}`);
      throw sdkFailure('IMDS', err);
    }
  };
}
