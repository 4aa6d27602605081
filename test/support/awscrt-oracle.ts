// awscrt (AWS's C runtime, aws-c-auth's SigV4A signer) through test/support/awscrt-v4a-oracle.py:
// dev-only, from Debian's python3-awscrt (sudo bash scripts/awscrt/install.sh; .ci/run does it).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';
import { skipUnlessInstalled } from './skip-reason.js';

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

const SCRIPT = join(repoRoot, 'test', 'support', 'awscrt-v4a-oracle.py');
/** Debian's python3 (where python3-awscrt lives) first, then whatever python3 is on PATH. */
const PYTHONS = [process.env.AWSCRT_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);

let found: string | null | undefined;
function python(): string | null {
  if (found !== undefined) return found;
  found = PYTHONS.find((p) => spawnSync(p, ['-c', 'import awscrt.auth'], { stdio: 'ignore' }).status === 0) ?? null;
  return found;
}

/** For `test(name, { skip: awscrtSkipReason() }, ...)`: a python3 with awscrt, else skipped (an error on CI). */
export function awscrtSkipReason(): string | undefined {
  return skipUnlessInstalled(python() ? undefined : 'awscrt is not installed for python3 (run: sudo bash scripts/awscrt/install.sh)', 'the SigV4A awscrt oracle');
}

/** Signs every request with awscrt, in one Python process. */
export function crtSign(requests: readonly CrtRequest[]): CrtSigned[] {
  const py = python();
  if (!py) throw new Error('no python3 with awscrt');
  const r = spawnSync(py, [SCRIPT], { input: JSON.stringify(requests), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`awscrt oracle failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as CrtSigned[];
}
