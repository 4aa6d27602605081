// The leak check every proxy test ends with (test/support/secret-registry.ts) must itself catch a
// registered value in a proxy's output — raw, percent-encoded or JSON-escaped — and name it masked.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { KEYS, secret } from '../support/redaction-fixtures.js';
import { assertNoLeaks, maskSecret, registerSecret } from '../support/secret-registry.js';

test('the leak check catches a registered value that is in a proxy\'s output, and masks it', { timeout: 30_000 }, async (t) => {
  const bucket = `leak-probe-${randomBytes(4).toString('hex')}`;
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [bucket] });
  t.after(() => origin.close());
  // Started without a test context: no leak check of its own after the test.
  const proxy = await startProxyCli(undefined, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [blockFor(origin.port, { bucket, version: 'v4', mode: 'header', credentials: { ...KEYS } })],
  });
  t.after(() => proxy.stop());
  // The bucket name is in the "listening" line (the block list): pretend it is a secret.
  registerSecret(bucket);
  await proxy.stop();
  assert.throws(
    () => assertNoLeaks('probe', { stdout: proxy.lines, stderr: proxy.stderr }),
    (err: Error) => err.message.includes(maskSecret(bucket)) && !err.message.includes(bucket),
  );
  // Percent-encoded and JSON-escaped forms count too.
  const odd = secret('odd"value');
  assert.throws(() => assertNoLeaks('encoded', { stdout: [`x ${encodeURIComponent(odd)} y`] }));
  assert.throws(() => assertNoLeaks('escaped', { stdout: [JSON.stringify({ v: odd })] }));
  assert.doesNotThrow(() => assertNoLeaks('clean', { stdout: ['nothing here'] }));
});
