import type { Credentials } from '../../signing/types.js';
import type { CredentialFetcher } from '../refreshing-provider.js';
import { httpText, parseMetadataCredentials } from './http.js';

export interface ImdsOptions {
  /** Base URL; default from AWS_EC2_METADATA_SERVICE_ENDPOINT(_MODE), else http://169.254.169.254. */
  readonly endpoint?: string;
  /** Fall back to IMDSv1 (no session token) when the token request fails. Off unless asked for. */
  readonly allowImdsV1: boolean;
  readonly timeoutMs: number;
  readonly env: NodeJS.ProcessEnv;
}

const TOKEN_TTL_SECONDS = '21600';

/** The IMDS base URL the AWS SDKs would use (their documented environment variables). */
export function imdsEndpoint(o: Pick<ImdsOptions, 'endpoint' | 'env'>): string {
  const url = o.endpoint ?? o.env.AWS_EC2_METADATA_SERVICE_ENDPOINT ?? (o.env.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE?.toLowerCase() === 'ipv6' ? 'http://[fd00:ec2::254]' : 'http://169.254.169.254');
  return url.replace(/\/+$/, '');
}

/**
 * EC2 instance role credentials over IMDSv2
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-security-credentials.html):
 * PUT a session token, then GET the role name and the role's credentials with that token.
 */
export function instanceMetadataFetcher(o: ImdsOptions): CredentialFetcher {
  const base = imdsEndpoint(o);
  return async (): Promise<Credentials> => {
    let headers: Record<string, string> = {};
    try {
      const t = await httpText(`${base}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': TOKEN_TTL_SECONDS }, timeoutMs: o.timeoutMs });
      if (t.status !== 200 || t.text === '') throw new Error(`IMDSv2 token request answered ${t.status}`);
      headers = { 'x-aws-ec2-metadata-token': t.text };
    } catch (err) {
      if (!o.allowImdsV1) throw new Error(`${(err as Error).message} (IMDSv1 fallback is off: set allowImdsV1: true to allow it)`);
    }
    const roles = await httpText(`${base}/latest/meta-data/iam/security-credentials/`, { headers, timeoutMs: o.timeoutMs });
    if (roles.status !== 200) throw new Error(`IMDS role listing answered ${roles.status}`);
    const role = roles.text.split('\n')[0]?.trim();
    if (!role) throw new Error('IMDS lists no instance role (is an instance profile attached?)');
    const creds = await httpText(`${base}/latest/meta-data/iam/security-credentials/${encodeURIComponent(role)}`, { headers, timeoutMs: o.timeoutMs });
    if (creds.status !== 200) throw new Error(`IMDS credentials for role ${role} answered ${creds.status}`);
    return parseMetadataCredentials(creds.text, 'IMDS');
  };
}
