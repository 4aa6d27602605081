// README "Configuration reference": a flow map missing a colon (`{ accessKeyId: A, secretAccessKey
// SeCrEt }`) gave `unknown key "secretAccessKey SeCrEt"`, path and message both quoting the secret.
// A key with a space in it is now named by its part before the space only, in named and inline sets
// and anywhere else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfigText } from '../../src/config/load.js';
import { formatProblem } from '../../src/config/problems.js';

const SECRET = 'SeCrEtNoColon/K7MDENG';

test('a key with a space in it: only its first word is printed, as a missing ": "', () => {
  const text = `credentials:
  named: { accessKeyId: AKIAEXAMPLE, secretAccessKey ${SECRET} }
proxies:
  - path: /vod/
    upstream: { bucket: bucket-one, region: eu-central-1 }
    credentials: { accessKeyId: AKIAEXAMPLE, secretAccessKey ${SECRET} }
    access:
      requireHeader: { name: x-cdn-secret, values: [abcdefgh], value ${SECRET} }
`;
  const report = checkConfigText(text, 'c.yaml');
  const lines = report.problems.map((p) => formatProblem('c.yaml', p));
  for (const [line, path, word] of [
    [2, 'credentials.named.secretAccessKey …', 'secretAccessKey'],
    [6, 'proxies[0].credentials.secretAccessKey …', 'secretAccessKey'],
    [8, 'proxies[0].access.requireHeader.value …', 'value'],
  ] as const) {
    assert.ok(lines.some((l) => l.startsWith(`c.yaml:${line}:`) && l.includes(`${path}: a key with a space in it — a missing ": " after "${word}"?`)), lines.join('\n'));
  }
  assert.ok(!lines.join('\n').includes('SeCrEt'), lines.join('\n'));
});
