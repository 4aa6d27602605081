// awscrt (AWS's C runtime, aws-c-auth's SigV4A signer) through test/support/awscrt-v4a-oracle.py:
// dev-only, from Debian's python3-awscrt (sudo bash scripts/awscrt/install.sh; .ci/run does it).
import { pythonOracle } from './python-oracle.js';

export interface CrtRequest {
  method: string;
  path: string;
  query: string;
  headers: Array<[string, string]>;
  access_key_id: string;
  secret_access_key: string;
  session_token: string | null;
  region_set: string;
  service: string;
  amz_date: string;
  mode: 'header' | 'query';
  expires: number;
  payload_hash: string;
  content_sha256_header: boolean;
  normalize: boolean;
}

export interface CrtSigned {
  /** Path with the query, as signed. */
  path: string;
  headers: Array<[string, string]>;
}

const oracle = pythonOracle({ module: 'awscrt.auth', script: 'awscrt-v4a-oracle.py', envVar: 'AWSCRT_PYTHON', tool: 'awscrt', suite: 'the SigV4A awscrt oracle' });

/** For `test(name, { skip: awscrtSkipReason() }, ...)`: a python3 with awscrt, else skipped (an error on CI). */
export const awscrtSkipReason = (): string | undefined => oracle.skipReason();

/** Signs every request with awscrt, in one Python process. */
export const crtSign = (requests: readonly CrtRequest[]): CrtSigned[] => oracle.run<CrtSigned[]>(requests);
