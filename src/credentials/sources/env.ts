import type { Credentials } from '../../signing/types.js';
import type { CredentialFetcher } from '../refreshing-provider.js';

/** AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, as every AWS SDK reads them. */
export function envFetcher(env: NodeJS.ProcessEnv): CredentialFetcher {
  return async (): Promise<Credentials> => {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) throw new Error('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set');
    const token = env.AWS_SESSION_TOKEN;
    const expires = env.AWS_CREDENTIAL_EXPIRATION ? new Date(env.AWS_CREDENTIAL_EXPIRATION) : undefined;
    return { accessKeyId, secretAccessKey, ...(token ? { sessionToken: token } : {}), ...(expires && !Number.isNaN(expires.getTime()) ? { expiration: expires } : {}) };
  };
}
