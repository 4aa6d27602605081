// Regression (hunt, 2026-12-07): with log.signatureDebug, a SignatureDoesNotMatch logged our
// canonical request — and the store's — with SSE-C's customer key in clear
// (`x-amz-server-side-encryption-customer-key:<base64 AES-256 key>`). It is redacted now, like
// the session token; the key's MD5 stays (it names the key without giving it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { waitForLog } from '../support/access-lines.js';
import { raw, xmlField } from '../support/origin-client.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { BUCKET, TEMP, WRONG } from '../support/redaction-fixtures.js';
import { assertNoLeaks, registerSecret } from '../support/secret-registry.js';

const CUSTOMER_KEY = Buffer.alloc(32, 0x5a).toString('base64');

test('log.signatureDebug never logs the SSE-C customer key', { timeout: 60_000 }, async (t) => {
  registerSecret(CUSTOMER_KEY);
  const origin = await startStrictOrigin({ credentials: [TEMP], buckets: [BUCKET] });
  t.after(() => origin.close());
  const block = blockFor(origin.port, { path: '/sse/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: 'wrong' });
  (block['upstream'] as Record<string, unknown>)['sse'] = { customerKey: CUSTOMER_KEY };
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, log: { signatureDebug: true }, credentials: { wrong: WRONG }, proxies: [block] });
  const res = await raw(proxy.port, { path: '/sse/a.txt' });
  assert.equal(res.status, 403);
  assert.equal(xmlField(res.text, 'Code'), 'SignatureDoesNotMatch');
  const line = await waitForLog(proxy, (l) => typeof l.msg === 'string' && l.msg.startsWith('upstream SignatureDoesNotMatch'), 5000);
  const ours = (line.ours as { canonicalRequest?: string }).canonicalRequest ?? '';
  assert.match(ours, /\nx-amz-server-side-encryption-customer-key:\[redacted\]\n/, 'our canonical request, the key redacted');
  assert.match(ours, /\nx-amz-server-side-encryption-customer-key-md5:[A-Za-z0-9+/=]{24}\n/, 'its MD5 kept');
  assertNoLeaks('SSE-C signatureDebug', { stdout: proxy.lines, stderr: proxy.stderr });
});
