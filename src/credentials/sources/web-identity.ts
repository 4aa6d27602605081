import { readFile } from 'node:fs/promises';
import type { Credentials } from '../../signing/types.js';
import type { CredentialFetcher } from '../refreshing-provider.js';
import { stsEndpoint, stsForm, stsPost } from './sts.js';

export interface WebIdentityOptions {
  readonly roleArn?: string;
  readonly tokenFile?: string;
  readonly sessionName?: string;
  readonly durationSeconds?: number;
  readonly stsEndpoint?: string;
  readonly region?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
}

/**
 * IRSA / web identity (https://docs.aws.amazon.com/sdkref/latest/guide/feature-assume-role-credentials.html):
 * the projected token file is read afresh on every refresh (Kubernetes rotates it) and exchanged
 * with STS AssumeRoleWithWebIdentity, which needs no signature.
 */
export function webIdentityFetcher(o: WebIdentityOptions): CredentialFetcher {
  return async (): Promise<Credentials> => {
    const roleArn = o.roleArn ?? o.env.AWS_ROLE_ARN;
    const tokenFile = o.tokenFile ?? o.env.AWS_WEB_IDENTITY_TOKEN_FILE;
    if (!roleArn) throw new Error('web-identity needs roleArn (or AWS_ROLE_ARN)');
    if (!tokenFile) throw new Error('web-identity needs tokenFile (or AWS_WEB_IDENTITY_TOKEN_FILE)');
    const token = (await readFile(tokenFile, 'utf8')).trim();
    if (!token) throw new Error(`web identity token file ${tokenFile} is empty`);
    const body = stsForm('AssumeRoleWithWebIdentity', {
      RoleArn: roleArn,
      RoleSessionName: o.sessionName ?? o.env.AWS_ROLE_SESSION_NAME ?? 'origin-signer',
      WebIdentityToken: token,
      DurationSeconds: o.durationSeconds === undefined ? undefined : String(o.durationSeconds),
    });
    return stsPost(stsEndpoint(o.stsEndpoint, o.region ?? o.env.AWS_REGION ?? o.env.AWS_DEFAULT_REGION, o.env), body, {}, o.timeoutMs, 'AssumeRoleWithWebIdentity');
  };
}
