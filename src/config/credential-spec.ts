import type { Credentials } from '../signing/types.js';
import type { RawCredentials } from './credentials-schema.js';
import type { CredentialSpec } from './types.js';

/** A credential set as the providers take it: static keys (or a pre-derived key), or a source. */
export function toSpec(name: string, raw: RawCredentials): CredentialSpec {
  if ('source' in raw) return { name, kind: 'source', source: raw };
  const token = raw.sessionToken ? { sessionToken: raw.sessionToken } : {};
  const credentials: Credentials =
    'secretAccessKey' in raw
      ? { accessKeyId: raw.accessKeyId, secretAccessKey: raw.secretAccessKey, ...token }
      : { accessKeyId: raw.accessKeyId, signingKey: Buffer.from(raw.signingKey, 'base64'), keyScope: raw.keyScope, ...token };
  return { name, kind: 'static', credentials };
}

/** Inline sets are named after their block, so logs and metrics can tell them apart. */
export const inlineName = (index: number): string => `proxies[${index}] (inline)`;
