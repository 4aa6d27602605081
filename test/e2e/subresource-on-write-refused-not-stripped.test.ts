// Regression "sub-resources on writes become plain writes (data loss)": on a block allowing PUT
// and DELETE, `DELETE /up/victim.txt?tagging` deleted the object and `PUT ?tagging` with a
// <Tagging> body replaced its content with that XML, because unknown query parameters were
// dropped; `GET ?acl` / `?policy` / `?torrent` silently served the object. Now every such request
// is refused with 400 OS_ERR_SUBRESOURCE_REFUSED and never reaches the store.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { raw } from '../support/origin-client.js';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { writeBlock } from '../support/writes-helpers.js';

const VICTIM = 'the victim object, not to be lost';
const TAGGING = '<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>';

test('sub-resources are refused on writes and reads, and the object is untouched', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [writeBlock(origin.port, { path: '/up/', bucket: BUCKET, credentials: KEYS, methods: ['GET', 'HEAD', 'PUT', 'DELETE', 'POST'] })],
  });
  await origin.putObject(BUCKET, 'victim.txt', VICTIM);
  const seen = origin.requests.length;

  for (const sub of ['tagging', 'acl', 'retention', 'legal-hold', '%74agging', 'TAGGING']) {
    const del = await raw(proxy.port, { method: 'DELETE', path: `/up/victim.txt?${sub}` });
    assert.equal(del.status, 400, `DELETE ?${sub}: ${del.text}`);
    assert.equal(JSON.parse(del.text).error, 'OS_ERR_SUBRESOURCE_REFUSED');
    const put = await raw(proxy.port, { method: 'PUT', path: `/up/victim.txt?${sub}`, headers: { 'content-type': 'application/xml', 'content-length': TAGGING.length }, body: TAGGING });
    assert.equal(put.status, 400, `PUT ?${sub}: ${put.text}`);
    assert.equal(JSON.parse(put.text).error, 'OS_ERR_SUBRESOURCE_REFUSED');
  }
  for (const sub of ['acl', 'policy', 'torrent', 'tagging', 'uploads', 'attributes']) {
    const get = await raw(proxy.port, { path: `/up/victim.txt?${sub}` });
    assert.equal(get.status, 400, `GET ?${sub}: ${get.text}`);
    assert.doesNotMatch(get.text, /victim object/);
  }
  // Multi-object delete and form uploads name keys in the body: never through the proxy.
  const multi = await raw(proxy.port, { method: 'POST', path: '/up/victim.txt?delete', headers: { 'content-length': 0 } });
  assert.equal(multi.status, 400, multi.text);
  const form = await raw(proxy.port, { method: 'POST', path: '/up/victim.txt', headers: { 'content-length': 0 } });
  assert.equal(form.status, 400, form.text);
  // A write never drops what it does not forward: a cache-buster on a PUT is refused too.
  const busted = await raw(proxy.port, { method: 'PUT', path: '/up/victim.txt?v=2', headers: { 'content-length': 3 }, body: 'new' });
  assert.equal(busted.status, 400, busted.text);

  assert.equal(origin.requests.length, seen, 'no refused request reached the store');
  assert.equal((await origin.getObject(BUCKET, 'victim.txt'))?.toString(), VICTIM, 'the object is untouched');

  // What stays allowed: a plain read with a cache-buster (dropped), a plain write and delete.
  const read = await raw(proxy.port, { path: '/up/victim.txt?cb=123' });
  assert.equal(read.status, 200);
  assert.equal(read.text, VICTIM);
  assert.equal(origin.requests.at(-1)?.url, '/victim.txt', 'the cache-buster was dropped');
  const del = await raw(proxy.port, { method: 'DELETE', path: '/up/victim.txt' });
  assert.equal(del.status, 204, del.text);
  assert.equal(await origin.getObject(BUCKET, 'victim.txt'), undefined);
});
