// README "Operations → Logs": with log.signatureDebug, a SigV2 block's SignatureDoesNotMatch logs
// both strings to sign — ours and the store's — with the session token in them redacted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { waitForLog } from '../support/access-lines.js';
import { raw, xmlField } from '../support/origin-client.js';
import { blockFor, SIGNING_MODES, startProxyCli } from '../support/proxy-cli.js';
import { BUCKET, modePrefix, TEMP, WRONG } from '../support/redaction-fixtures.js';
import { assertNoLeaks } from '../support/secret-registry.js';

test('log.signatureDebug on SigV2 blocks with a session token: both strings to sign logged, the token redacted', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [TEMP], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'a.txt', 'object a\n', { contentType: 'text/plain' });
  const v2modes = SIGNING_MODES.filter((m) => m.version === 'v2');
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    log: { signatureDebug: true },
    credentials: { wrong: WRONG },
    proxies: v2modes.map(({ version, mode }) => blockFor(origin.port, { path: modePrefix(version, mode, '-wrong'), bucket: BUCKET, version, mode, credentials: 'wrong' })),
  });
  for (const { version, mode } of v2modes) {
    const block = modePrefix(version, mode, '-wrong');
    const res = await raw(proxy.port, { path: `${block}a.txt` });
    assert.equal(res.status, 403);
    assert.equal(xmlField(res.text, 'Code'), 'SignatureDoesNotMatch');
    const line = await waitForLog(proxy, (l) => typeof l.msg === 'string' && l.msg.startsWith('upstream SignatureDoesNotMatch') && l.block === block, 5000);
    for (const side of [line.ours, line.upstream] as Array<{ stringToSign?: string }>) {
      assert.match(side.stringToSign ?? '', /^GET\n/, `${mode}: a SigV2 string to sign`);
      assert.ok(!side.stringToSign!.includes(TEMP.sessionToken), `${mode}: the session token is in a logged string to sign`);
      assert.match(side.stringToSign!, /\nx-amz-security-token:\[redacted\]\n/);
    }
  }
  assertNoLeaks('SigV2 signatureDebug', { stdout: proxy.lines, stderr: proxy.stderr });
});
