import type { Credentials } from '../../signing/types.js';

export type Sdk = typeof import('@aws-sdk/credential-providers');

/** What the SDK's providers resolve to (AwsCredentialIdentity). */
export type SdkIdentity = Awaited<ReturnType<ReturnType<Sdk['fromEnv']>>>;

/**
 * The SDK's public credential providers, loaded on first use: they cost ~10 MiB of memory that a
 * proxy with static keys only should not carry.
 */
export function loadSdk(): Promise<Sdk> {
  return import('@aws-sdk/credential-providers');
}

/**
 * The SDK's identity as the signer's Credentials. When IMDS hands out keys that have already
 * expired, the SDK moves `expiration` 5–10 min ahead and keeps the real one in `originalExpiration`
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-static-credentials.html); the real one
 * is used, so expired keys are refused rather than signed with.
 */
export function toCredentials(c: SdkIdentity & { originalExpiration?: Date }): Credentials {
  const expiration = c.originalExpiration ?? c.expiration;
  if (expiration && Number.isNaN(expiration.getTime())) throw new Error('the source answered an invalid expiration');
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
    ...(expiration ? { expiration } : {}),
  };
}
