// Regression (hunt, 2026-12-07): a failed `credential_process` (run by the AWS SDK's profile
// resolution) rejects with child_process's "Command failed: <command line> <stderr>", and that
// message went into /readyz, the logs and 503 details — a token on the command line or in its
// error output with it. The reason is now only that the command failed. The real SDK provider runs
// a real command here.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fromProcess } from '@aws-sdk/credential-providers';
import { describeSdkError } from '../../../src/credentials/sources/sdk-error.js';

test('a failed credential_process is described without its command line or output', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'os-credproc-'));
  const config = join(dir, 'config');
  writeFileSync(config, "[profile broken]\ncredential_process = sh -c 'echo stderr-SeCrEt-0001 >&2; exit 3' --token=argv-SeCrEt-0002\n");
  const err = await fromProcess({ profile: 'broken', configFilepath: config, filepath: join(dir, 'credentials') })().then(
    () => assert.fail('the command fails'),
    (e: unknown) => e,
  );
  assert.match(String((err as Error).message), /SeCrEt/, 'the SDK error itself quotes them (what the fix is for)');
  const said = describeSdkError(err);
  assert.doesNotMatch(said, /SeCrEt|sh -c|--token/);
  assert.match(said, /credential_process command failed/);
});
