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

/** One request as the origin saw and answered it (`StrictOrigin.requests`). */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[]>;
  auth: AuthKind;
  accessKeyId?: string;
  status: number;
  errorCode?: string;
  bytesIn: number;
}

export type CredentialLookup = (accessKeyId: string) => OriginCredential | undefined;
