import type { Credentials } from '../../signing/types.js';
import type { CredentialFetcher } from '../refreshing-provider.js';

export interface ProfileOptions {
  readonly profile?: string;
  readonly credentialsFile?: string;
  readonly configFile?: string;
  readonly stsEndpoint?: string;
  readonly region?: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * A profile of the shared `credentials` / `config` files, resolved by the AWS SDK's own fromIni —
 * static keys, `role_arn` + `source_profile`, `web_identity_token_file`, `credential_process`, SSO —
 * so a profile means here exactly what it means to the AWS CLI. Files are re-read on every fetch.
 */
export function profileFetcher(o: ProfileOptions): CredentialFetcher {
  return async (): Promise<Credentials> => {
    // Loaded on first use: the SDK costs ~10 MiB of memory that a proxy without profile
    // credentials should not carry.
    const { fromIni } = await import('@aws-sdk/credential-providers');
    const provider = fromIni({
      profile: o.profile ?? o.env.AWS_PROFILE ?? 'default',
      ignoreCache: true,
      ...(o.credentialsFile ?? o.env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: o.credentialsFile ?? o.env.AWS_SHARED_CREDENTIALS_FILE } : {}),
      ...(o.configFile ?? o.env.AWS_CONFIG_FILE ? { configFilepath: o.configFile ?? o.env.AWS_CONFIG_FILE } : {}),
      clientConfig: {
        ...(o.region ? { region: o.region } : {}),
        ...(o.stsEndpoint ?? o.env.AWS_ENDPOINT_URL_STS ? { endpoint: o.stsEndpoint ?? o.env.AWS_ENDPOINT_URL_STS } : {}),
      },
    });
    const c = await provider();
    return {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
      ...(c.expiration ? { expiration: c.expiration } : {}),
    };
  };
}
