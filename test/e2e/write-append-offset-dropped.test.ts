// Regression: an S3 Express append (PutObject with `x-amz-write-offset-bytes`) had the header
// dropped, so the store took a plain PUT and the object became the appended bytes alone, with a
// 200 for the viewer. It is now refused with 400 OS_ERR_APPEND_NOT_FORWARDED, reaching nothing,
// unless the block names the header in `signing.includeHeaders`, which forwards and signs it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { raw } from '../support/origin-client.js';
import { signedHeadersOf, writeBlock } from '../support/writes-helpers.js';

test('an append the block does not forward is refused; one it names is forwarded and signed', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [
      writeBlock(origin.port, { path: '/w/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'w/' }),
      writeBlock(origin.port, { path: '/a/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'a/', signing: { includeHeaders: ['x-amz-write-offset-bytes'] } }),
    ],
  });
  const append = (path: string) => raw(proxy.port, { method: 'PUT', path, headers: { 'x-amz-write-offset-bytes': '6', 'content-length': 5 }, body: 'world' });

  await origin.putObject(BUCKET, 'w/log.txt', 'hello ');
  const before = origin.requests.length;
  const refused = await append('/w/log.txt');
  assert.equal(refused.status, 400, refused.text);
  const answer = JSON.parse(refused.text) as { error: string; message: string };
  assert.equal(answer.error, 'OS_ERR_APPEND_NOT_FORWARDED');
  assert.match(answer.message, /x-amz-write-offset-bytes/);
  assert.equal(origin.requests.length, before, 'nothing reached the store');
  assert.equal((await origin.getObject(BUCKET, 'w/log.txt'))?.toString(), 'hello ', 'the object is untouched');

  const forwarded = await append('/a/log.txt');
  assert.equal(forwarded.status, 200, forwarded.text);
  const sent = origin.requests.at(-1)!;
  assert.equal(sent.headers['x-amz-write-offset-bytes'], '6');
  assert.ok(signedHeadersOf(sent.headers.authorization).includes('x-amz-write-offset-bytes'), 'signed');
});
