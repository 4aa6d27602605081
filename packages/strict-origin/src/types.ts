import type { HeaderList } from './headers.js';
import type { QueryParam } from './query.js';

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
  /** `query` already parsed (the origin parses it once per request); the verifiers parse `query` when absent. */
  params?: readonly QueryParam[];
  headers: HeaderList;
}

export type AuthKind = 'v4-header' | 'v4-query' | 'v4a-header' | 'v4a-query' | 'v2-header' | 'v2-query' | 'anonymous' | 'malformed';

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
  /** The worst-case answer it was given instead of its operation, if any (faults.ts). */
  fault?: Fault;
}

/** A worst-case answer the origin can give an authenticated request instead of its operation (faults.ts). */
export type Fault = 'signature-mismatch' | 'redirect-301' | 'redirect-307' | 'internal-error-500' | 'cut-body';

/** Chooses, for each authenticated request, a worst-case answer (or none: the operation runs). */
export type FaultHook = (req: RecordedRequest) => Fault | undefined;

export type CredentialLookup = (accessKeyId: string) => OriginCredential | undefined;
