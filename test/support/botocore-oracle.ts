// botocore's SigV2 signers (HmacV1Auth, HmacV1QueryAuth) through test/support/botocore-v2-oracle.py:
// dev-only, from Debian's python3-botocore (sudo bash scripts/botocore/install.sh; .ci/run does it).
import { pythonOracle } from './python-oracle.js';

export interface BotocoreV2Request {
  method: string;
  url: string;
  auth_path: string | null;
  headers: Array<[string, string]>;
  access_key_id: string;
  secret_access_key: string;
  session_token: string | null;
  mode: 'header' | 'query';
  date_slot: string;
}

export interface BotocoreV2Signed {
  string_to_sign: string;
  signature: string;
  /** Query mode: the presigned URL. */
  url?: string;
}

const oracle = pythonOracle({ module: 'botocore.auth', script: 'botocore-v2-oracle.py', envVar: 'BOTOCORE_PYTHON', tool: 'botocore', suite: 'the SigV2 botocore oracle' });

/** For `test(name, { skip: botocoreSkipReason() }, ...)`: a python3 with botocore, else skipped (an error on CI). */
export const botocoreSkipReason = (): string | undefined => oracle.skipReason();

/** Signs every request with botocore, in one Python process. */
export const botocoreSignV2 = (requests: readonly BotocoreV2Request[]): BotocoreV2Signed[] => oracle.run<BotocoreV2Signed[]>(requests);
