// README "Secrets from files": a `{ file: … }` secret was read whole, however big. A file over
// 64 KiB (no key or token is near that) is now a problem naming the YAML path and the file, never
// its content; 64 KiB exactly is still read.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkConfigText } from '../../src/config/load.js';
import { formatProblem } from '../../src/config/problems.js';

test('a secret file over 64 KiB is refused; one of 64 KiB is read', (t) => {
  const d = mkdtempSync(join(tmpdir(), 'os-secretsize-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  writeFileSync(join(d, 'big'), 'S'.repeat(64 * 1024 + 1));
  writeFileSync(join(d, 'fits'), 'F'.repeat(64 * 1024));
  const text = (file: string): string => `credentials:
  a: { accessKeyId: AKIAEXAMPLE, secretAccessKey: { file: ${join(d, file)} } }
proxies:
  - path: /vod/
    upstream: { bucket: bucket-one, region: eu-central-1 }
    credentials: a
`;
  const big = checkConfigText(text('big'), 'c.yaml');
  assert.deepEqual(big.problems.map((p) => formatProblem('c.yaml', p)), [
    `c.yaml:2:51  credentials.a.secretAccessKey: cannot read the secret file ${join(d, 'big')}: larger than 64 KiB: not a secret`,
  ]);
  const fits = checkConfigText(text('fits'), 'c.yaml');
  assert.deepEqual(fits.problems, []);
  const a = fits.config?.credentials.a;
  assert.equal(a?.kind === 'static' ? a.credentials.secretAccessKey?.length : undefined, 64 * 1024);
});
