import type { CredentialFetcher } from '../refreshing-provider.js';
import { loadSdk, toCredentials } from './sdk.js';
import { sdkFailure } from './sdk-error.js';
import type { SdkLogger } from './sdk-logger.js';
import { stsClientConfig } from './sts-client.js';

export interface WebIdentityOptions {
  readonly roleArn?: string;
  readonly tokenFile?: string;
  readonly sessionName?: string;
  readonly durationSeconds?: number;
  readonly stsEndpoint?: string;
  readonly region?: string;
  readonly timeoutMs: number;
  readonly logger: SdkLogger;
}

/**
 * IRSA / web identity (https://docs.aws.amazon.com/sdkref/latest/guide/feature-assume-role-credentials.html)
 * by the SDK's fromTokenFile: the token file (default AWS_WEB_IDENTITY_TOKEN_FILE) is read on
 * every fetch — Kubernetes rotates it — and exchanged with STS AssumeRoleWithWebIdentity for the
 * role (default AWS_ROLE_ARN).
 */
export function webIdentityFetcher(o: WebIdentityOptions): CredentialFetcher {
  return async () => {
    const { fromTokenFile } = await loadSdk();
    try {
      const provider = fromTokenFile({
        ...(o.roleArn ? { roleArn: o.roleArn } : {}),
        ...(o.tokenFile ? { webIdentityTokenFile: o.tokenFile } : {}),
        // The SDK would name the session aws-sdk-js-session-<time>; ours is recognisable in CloudTrail.
        roleSessionName: o.sessionName ?? process.env.AWS_ROLE_SESSION_NAME ?? 'origin-signer',
        ...(o.durationSeconds !== undefined ? { durationSeconds: o.durationSeconds } : {}),
        clientConfig: stsClientConfig(o),
        logger: o.logger,
      });
      return toCredentials(await provider());
    } catch (err) {
      throw sdkFailure('STS AssumeRoleWithWebIdentity', err);
    }
  };
}
