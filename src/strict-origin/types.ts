import type { HeaderList } from './headers.js';

export interface OriginCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The parts of a request a signature covers, exactly as received. */
export interface SignableRequest {
  method: string;
  /** The path of the request-target, as sent on the wire (still percent-encoded). */
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  headers: HeaderList;
}

export type AuthKind = 'v4-header' | 'v4-query' | 'v2-header' | 'v2-query' | 'anonymous' | 'malformed';

export type CredentialLookup = (accessKeyId: string) => OriginCredential | undefined;
