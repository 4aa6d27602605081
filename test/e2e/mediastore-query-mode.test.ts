// A MediaStore block in signing mode query: the proxy presigns each read for the service
// `mediastore` with the empty payload hash (as botocore and aws4 presign a generic service), and
// the strict origin in MediaStore mode recomputes it. It was never run until the origin, which
// wrongly demanded UNSIGNED-PAYLOAD there, refused it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MEDIASTORE_BUCKET } from '@origin-signer/strict-origin';
import { mediaStoreProxy } from '../support/mediastore-proxy.js';
import { raw } from '../support/origin-client.js';

test('a MediaStore block in query mode reads objects and lists folders, presigned', { timeout: 60_000 }, async (t) => {
  const { origin, port } = await mediaStoreProxy(t, { signing: { mode: 'query', expires: 60 }, methods: ['GET', 'HEAD', 'DELETE'] });
  await origin.putObject(MEDIASTORE_BUCKET, 'live/ch1/index.m3u8', '#EXTM3U\n');

  const get = await raw(port, { path: '/ms/ch1/index.m3u8' });
  assert.equal(get.status, 200, get.text.slice(0, 300));
  assert.equal(get.text, '#EXTM3U\n');
  const seen = origin.requests.at(-1)!;
  assert.equal(seen.auth, 'v4-query');
  assert.match(seen.url, /X-Amz-Credential=[^&]*%2Fmediastore%2Faws4_request/);
  assert.match(seen.url, /X-Amz-Expires=60(&|$)/);
  assert.equal(seen.headers.authorization, undefined);

  const head = await raw(port, { method: 'HEAD', path: '/ms/ch1/index.m3u8' });
  assert.equal(head.status, 200);
  const list = await raw(port, { path: '/ms/ch1/' });
  assert.equal(list.status, 200, list.text.slice(0, 300));
  assert.deepEqual((JSON.parse(list.text) as { Items: Array<{ Name: string }> }).Items.map((i) => i.Name), ['index.m3u8']);
  const del = await raw(port, { method: 'DELETE', path: '/ms/ch1/index.m3u8' });
  assert.equal(del.status, 200, del.text.slice(0, 300));
  assert.equal(await origin.getObject(MEDIASTORE_BUCKET, 'live/ch1/index.m3u8'), undefined);
});
