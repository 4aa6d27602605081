// README "What reaches the bucket", step 5: a viewer's x-amz-checksum-* header on a PUT is
// forwarded and signed, so the store checks it against the bytes the proxy sent: in every payload
// mode, a wrong value is the store's 400 BadDigest (its code passed on) and nothing is stored, a
// right one is stored. The strict origin checks checksums as S3 does (checksum-headers.ts).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { raw, xmlField } from '../support/origin-client.js';
import { generatedBytes } from '../support/generated-body.js';
import { KiB } from '../support/sizes.js';
import { writeBlock, type PayloadMode } from '../support/writes-helpers.js';

const MODES: PayloadMode[] = ['unsigned', 'sha256', 'streaming'];

test('a PUT\'s x-amz-checksum-sha256 reaches the store, which refuses a wrong one', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: MODES.map((payload) => writeBlock(origin.port, { path: `/${payload}/`, bucket: BUCKET, credentials: KEYS, payload, methods: ['GET', 'PUT'], keyPrefix: `${payload}/` })),
  });
  const body = generatedBytes(40 * KiB, 'checksum');
  const right = createHash('sha256').update(body).digest('base64');
  const wrong = createHash('sha256').update('something else').digest('base64');
  for (const payload of MODES) {
    const put = (key: string, checksum: string) =>
      raw(proxy.port, { method: 'PUT', path: `/${payload}/${key}`, headers: { 'content-length': body.length, 'x-amz-checksum-sha256': checksum }, body });
    const bad = await put('bad.bin', wrong);
    assert.equal(bad.status, 400, `${payload}: ${bad.text}`);
    assert.equal(xmlField(bad.text, 'Code'), 'BadDigest', payload);
    assert.equal(origin.requests.at(-1)!.headers['x-amz-checksum-sha256'], wrong, `${payload}: the header reached the store`);
    assert.equal(await origin.getObject(BUCKET, `${payload}/bad.bin`), undefined, `${payload}: nothing stored`);
    const good = await put('good.bin', right);
    assert.equal(good.status, 200, `${payload}: ${good.text}`);
    assert.ok((await origin.getObject(BUCKET, `${payload}/good.bin`))?.equals(body), `${payload}: stored`);
  }
});
