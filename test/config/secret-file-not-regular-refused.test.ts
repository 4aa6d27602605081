// README "Secrets from files": `{ file: … }` read a FIFO until someone wrote to it (check and
// start-up hung; a reload froze the event loop) and /dev/zero until memory ran out. Anything that
// is not a regular file is now a problem naming the YAML path, its line and the file, at once.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkConfigText } from '../../src/config/load.js';
import { formatProblem } from '../../src/config/problems.js';

test('a FIFO, a device or a directory as a secret file is refused without reading it', (t) => {
  const d = mkdtempSync(join(tmpdir(), 'os-secretfifo-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  const fifo = join(d, 'fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
  const text = `credentials:
  a: { accessKeyId: AKIAEXAMPLE, secretAccessKey: { file: ${fifo} } }
  b: { accessKeyId: AKIAEXAMPLE, secretAccessKey: { file: /dev/zero } }
  c: { accessKeyId: AKIAEXAMPLE, secretAccessKey: { file: ${d} } }
proxies:
  - path: /vod/
    upstream: { bucket: bucket-one, region: eu-central-1 }
    credentials: a
`;
  const started = Date.now();
  const lines = checkConfigText(text, 'c.yaml').problems.map((p) => formatProblem('c.yaml', p));
  assert.ok(Date.now() - started < 2000, 'nothing blocked');
  assert.deepEqual(
    lines.map((l) => l.replace(/:\d+ {2}/, ' ')),
    [
      `c.yaml:2 credentials.a.secretAccessKey: cannot read the secret file ${fifo}: not a regular file`,
      'c.yaml:3 credentials.b.secretAccessKey: cannot read the secret file /dev/zero: not a regular file',
      `c.yaml:4 credentials.c.secretAccessKey: cannot read the secret file ${d}: not a regular file`,
    ],
  );
});
