import type { Credentials } from '../../signing/types.js';
import { toAmzDate } from '../../signing/amz-date.js';
import { sha256Hex } from '../../signing/hash.js';
import { signV4Header } from '../../signing/v4/sign-header.js';
import type { CredentialProvider } from '../provider.js';
import type { CredentialFetcher } from '../refreshing-provider.js';
import { stsEndpoint, stsForm, stsPost, stsRegion } from './sts.js';

export interface AssumeRoleOptions {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly externalId?: string;
  readonly source: CredentialProvider;
  readonly stsEndpoint?: string;
  readonly region?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly clock: () => number;
}

/**
 * STS AssumeRole with the source set's credentials — signed by the project's own SigV4 signer
 * (service `sts`, generic URI rule, the body's SHA-256 as payload hash).
 */
export function assumeRoleFetcher(o: AssumeRoleOptions): CredentialFetcher {
  return async (): Promise<Credentials> => {
    const source = await o.source.get();
    const endpoint = stsEndpoint(o.stsEndpoint, o.region, o.env);
    const url = new URL(endpoint);
    const body = stsForm('AssumeRole', {
      RoleArn: o.roleArn,
      RoleSessionName: o.sessionName,
      DurationSeconds: String(o.durationSeconds),
      ExternalId: o.externalId,
    });
    const headers: Array<[string, string]> = [
      ['host', url.host],
      ['content-type', 'application/x-www-form-urlencoded; charset=utf-8'],
    ];
    const signed = signV4Header({ method: 'POST', path: '/', query: '', headers }, source, { region: stsRegion(o.region, o.env), service: 'sts', uriRule: 'generic' }, {
      amzDate: toAmzDate(o.clock()),
      payloadHash: sha256Hex(body),
      contentSha256Header: false,
    });
    return stsPost(endpoint, body, Object.fromEntries(signed.headers), o.timeoutMs, 'AssumeRole');
  };
}
