// README "Ingest — Into MediaStore": a block with `upstream: { type: mediastore, endpoint, region }`
// takes an encoder's plain PUT/DELETE and signs them with SigV4 for the service `mediastore`,
// using the generic SigV4 path rule (normalised, then encoded a second time); a GET on a folder is
// a ListItems request. The strict origin in `service: 'mediastore'` mode recomputes every
// signature with that rule (smithy, uriEscapePath: true).
//
// Keys: every AWKWARD_KEYS entry except the one ending in `/` — MediaStore object paths cannot
// end in `/` (a GET on such a path is a folder listing, a PUT is refused). Keys with `//`: the
// generic canonical URI collapses empty segments (botocore vector
// botocore/mediastore/get-token-double-slash: `/live//stream/index.m3u8` signs as
// `/live/stream/index.m3u8`); the proxy sends the path as it is and signs the collapsed form,
// the origin accepts it and keeps the key with its `//` (what the test below pins down).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Readable } from 'node:stream';
import { MEDIASTORE_BUCKET } from '@origin-signer/strict-origin';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { AWKWARD_KEYS } from '../support/awkward-keys.js';
import { KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { encodeKey, raw } from '../support/origin-client.js';
import { KiB } from '../support/sizes.js';
import { credentialScopeOf, streamUpload } from '../support/writes-helpers.js';
import { generatedBytes, sha256Hex } from '../support/generated-body.js';

const REGION = 'us-west-2';
const STORABLE = AWKWARD_KEYS.filter((k) => !k.endsWith('/'));
const body = (key: string): Buffer => Buffer.from(`#EXTM3U\n# ${JSON.stringify(key)}\n`);

interface ListItem {
  Name: string;
  Type: 'OBJECT' | 'FOLDER';
  ContentLength?: number;
}

test('a MediaStore block: PUT/GET/HEAD/DELETE and folder listings signed for mediastore', { timeout: 180_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], service: 'mediastore', region: REGION });
  t.after(() => origin.close());
  const block = (path: string, payload: 'unsigned' | 'sha256') => ({
    path,
    upstream: { type: 'mediastore', endpoint: `http://127.0.0.1:${origin.port}`, region: REGION },
    credentials: KEYS,
    signing: { payload },
    methods: ['GET', 'HEAD', 'PUT', 'DELETE'],
  });
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [block('/ms/', 'unsigned'), block('/ms256/', 'sha256')],
  });

  await t.test('PUT then GET and HEAD for every awkward key MediaStore can hold', async () => {
    assert.ok(AWKWARD_KEYS.length - STORABLE.length === 1, 'only the trailing-slash key is skipped');
    for (const key of STORABLE) {
      const b = body(key);
      const path = `/ms/${encodeKey(key)}`;
      const put = await raw(proxy.port, { method: 'PUT', path, headers: { 'content-type': 'application/x-mpegURL', 'content-length': b.length }, body: b });
      assert.equal(put.status, 200, `${JSON.stringify(key)}: ${put.text.slice(0, 400)}`);
      const answer = JSON.parse(put.text) as { ContentSHA256: string; ETag: string };
      assert.equal(answer.ContentSHA256, sha256Hex(b), `${JSON.stringify(key)}: MediaStore's PutObject answer passes through`);
      const sent = origin.requests[origin.requests.length - 1]!;
      assert.equal(sent.headers['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD', 'an unsigned body says so, as botocore does');
      assert.ok((await origin.getObject(MEDIASTORE_BUCKET, key))?.equals(b), `${JSON.stringify(key)} stored under its own name`);

      const get = await raw(proxy.port, { path });
      assert.equal(get.status, 200, `GET ${JSON.stringify(key)}: ${get.text.slice(0, 400)}`);
      assert.ok(get.body.equals(b), JSON.stringify(key));
      assert.equal(get.headers['content-type'], 'application/x-mpegURL');
      const head = await raw(proxy.port, { method: 'HEAD', path });
      assert.equal(head.status, 200, `HEAD ${JSON.stringify(key)}`);
      assert.equal(head.headers['content-length'], String(b.length));
      assert.equal(head.body.length, 0);
    }
  });

  await t.test('keys with // keep their slashes at the origin; the collapsed spelling is another object', async () => {
    const key = 'double//slash///file.txt';
    assert.ok(await origin.getObject(MEDIASTORE_BUCKET, key), 'stored as sent, `//` kept');
    assert.equal(await origin.getObject(MEDIASTORE_BUCKET, 'double/slash/file.txt'), undefined);
    const collapsed = await raw(proxy.port, { path: '/ms/double/slash/file.txt' });
    assert.equal(collapsed.status, 404, 'the collapsed path is signed the same way but names no object');
  });

  await t.test('a chunked PUT (no Content-Length) is spooled and sent with its length', async () => {
    const data = generatedBytes(200 * KiB, 'ms chunked');
    const before = origin.requests.length;
    const res = await streamUpload(proxy.port, {
      path: '/ms/live/chunked%20seg.ts',
      headers: { 'content-type': 'video/mp2t' },
      body: Readable.from([data.subarray(0, 70 * KiB), data.subarray(70 * KiB)]),
    });
    assert.equal(res.status, 200, res.text.slice(0, 400));
    const sent = origin.requests.slice(before);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.headers['content-length'], String(data.length));
    assert.equal(sent[0]!.headers['transfer-encoding'], undefined);
    assert.ok((await origin.getObject(MEDIASTORE_BUCKET, 'live/chunked seg.ts'))?.equals(data));
  });

  await t.test('payload: sha256 signs the body hash', async () => {
    const data = generatedBytes(150 * KiB, 'ms sha256');
    const before = origin.requests.length;
    const res = await raw(proxy.port, { method: 'PUT', path: '/ms256/live/hashed.ts', headers: { 'content-length': data.length, 'content-type': 'video/mp2t' }, body: data });
    assert.equal(res.status, 200, res.text.slice(0, 400));
    const sent = origin.requests.slice(before);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.headers['x-amz-content-sha256'], sha256Hex(data));
    assert.ok((await origin.getObject(MEDIASTORE_BUCKET, 'live/hashed.ts'))?.equals(data));
    const get = await raw(proxy.port, { path: '/ms256/live/hashed.ts' });
    assert.equal(get.status, 200);
    assert.ok(get.body.equals(data));
  });

  await t.test('a folder GET is a ListItems of that folder', async () => {
    for (const name of ['seg 1.ts', 'seg2.ts', 'index.m3u8', 'sub/deeper.ts']) {
      const res = await raw(proxy.port, { method: 'PUT', path: `/ms/listing/${encodeKey(name)}`, headers: { 'content-length': name.length }, body: name });
      assert.equal(res.status, 200, res.text.slice(0, 300));
    }
    const before = origin.requests.length;
    const res = await raw(proxy.port, { path: '/ms/listing/' });
    assert.equal(res.status, 200, res.text.slice(0, 400));
    const sent = origin.requests.slice(before);
    assert.equal(sent.length, 1);
    assert.match(sent[0]!.url, /^\/\?Path=listing$/, 'ListItems with Path=');
    const items = (JSON.parse(res.text) as { Items: ListItem[] }).Items;
    assert.deepEqual(
      items.map((i) => [i.Name, i.Type, i.ContentLength]),
      [
        ['index.m3u8', 'OBJECT', 10],
        ['seg 1.ts', 'OBJECT', 8],
        ['seg2.ts', 'OBJECT', 7],
        ['sub', 'FOLDER', undefined],
      ],
    );
    const nested = await raw(proxy.port, { path: '/ms/unicode/vid%C3%A9o/' });
    assert.equal(nested.status, 200, nested.text.slice(0, 400));
    assert.deepEqual((JSON.parse(nested.text) as { Items: ListItem[] }).Items.map((i) => i.Name), ['日本語 ファイル.ts']);
  });

  await t.test('DELETE removes an object; then GET is 404', async () => {
    const del = await raw(proxy.port, { method: 'DELETE', path: '/ms/listing/seg2.ts' });
    assert.equal(del.status, 200, del.text.slice(0, 400));
    assert.equal(await origin.getObject(MEDIASTORE_BUCKET, 'listing/seg2.ts'), undefined);
    const get = await raw(proxy.port, { path: '/ms/listing/seg2.ts' });
    assert.equal(get.status, 404);
  });

  await t.test('every origin request was SigV4-header signed for mediastore in us-west-2, and accepted', async () => {
    assert.ok(origin.requests.length > STORABLE.length * 3);
    for (const r of origin.requests) {
      assert.equal(r.auth, 'v4-header', `${r.method} ${r.url}`);
      assert.match(credentialScopeOf(r.headers.authorization) ?? '', /^\d{8}\/us-west-2\/mediastore\/aws4_request$/, `${r.method} ${r.url}`);
      assert.ok(r.status === 200 || r.status === 404, `${r.method} ${r.url}: ${r.status} ${r.errorCode ?? ''}`);
      if (r.status === 404) assert.equal(r.errorCode ?? 'NoSuchKey', 'NoSuchKey', `${r.method} ${r.url}`);
    }
  });
});
