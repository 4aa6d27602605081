// botocore's SigV2 signers (HmacV1Auth, HmacV1QueryAuth) through test/support/botocore-v2-oracle.py:
// dev-only, from Debian's python3-botocore (sudo bash scripts/botocore/install.sh; .ci/run does it).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';
import { skipUnlessInstalled } from './skip-reason.js';

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

const SCRIPT = join(repoRoot, 'test', 'support', 'botocore-v2-oracle.py');
/** Debian's python3 (where python3-botocore lives) first, then whatever python3 is on PATH. */
const PYTHONS = [process.env.BOTOCORE_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);

let found: string | null | undefined;
function python(): string | null {
  if (found === undefined) found = PYTHONS.find((p) => spawnSync(p, ['-c', 'import botocore.auth'], { stdio: 'ignore' }).status === 0) ?? null;
  return found;
}

/** For `test(name, { skip: botocoreSkipReason() }, ...)`: a python3 with botocore, else skipped (an error on CI). */
export function botocoreSkipReason(): string | undefined {
  return skipUnlessInstalled(python() ? undefined : 'botocore is not installed for python3 (run: sudo bash scripts/botocore/install.sh)', 'the SigV2 botocore oracle');
}

/** Signs every request with botocore, in one Python process. */
export function botocoreSignV2(requests: readonly BotocoreV2Request[]): BotocoreV2Signed[] {
  const py = python();
  if (!py) throw new Error('no python3 with botocore');
  const r = spawnSync(py, [SCRIPT], { input: JSON.stringify(requests), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`botocore oracle failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as BotocoreV2Signed[];
}
