// README "Listing a block like a bucket": rclone and s3cmd, as operators run them, against a block
// with listObjects over the strict origin (which checks every signature). rclone sync lists the
// block (ListObjects), uploads what is new — a large file in parts — and deletes what went away, then
// syncs it all back; s3cmd puts, lists, gets and deletes. Before listObjects, every sync stopped at
// its listing (404), and neither tool could list.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUCKET } from '../support/modes-fixture.js';
import { rclone, s3ClientsSkipReason, s3cmd } from '../support/s3-clients.js';
import { assertStoreSawOnlyTheBlock, bytes, clientsFixture } from '../support/s3-clients-fixture.js';

test('rclone sync and s3cmd through a listObjects block', { skip: s3ClientsSkipReason(), timeout: 180_000 }, async (t) => {
  const { dir, origin, proxy, src, files } = await clientsFixture(t);

  const rc = rclone(dir, proxy.url);
  await t.test('rclone sync up: every file stored under keyPrefix, the large one in 5 MiB parts', async () => {
    const r = await rc('sync', src, 'p:live/event', '--s3-upload-cutoff', '5M', '--s3-chunk-size', '5M', '-v');
    assert.equal(r.code, 0, r.out);
    for (const [name, data] of Object.entries(files)) assert.ok((await origin.getObject(BUCKET, `live/event/${name}`))?.equals(data), name);
    assert.ok(origin.requests.some((o) => o.method === 'POST' && /uploadId=/.test(o.url)), 'CompleteMultipartUpload reached the store');
  });

  await t.test('rclone sync again: a removed file is deleted, an added one stored, nothing else sent', async () => {
    rmSync(join(src, 'seg', 'vidéo.ts'));
    writeFileSync(join(src, 'seg', '001.ts'), bytes(500, 4));
    const before = origin.requests.length;
    const r = await rc('sync', src, 'p:live/event', '-v');
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /seg\/001\.ts: Copied \(new\)/);
    assert.match(r.out, /seg\/vidéo\.ts: Deleted/);
    assert.equal(await origin.getObject(BUCKET, 'live/event/seg/vidéo.ts'), undefined);
    const writes = origin.requests.slice(before).filter((o) => o.method === 'PUT');
    assert.equal(writes.length, 1, 'unchanged files are not uploaded again');
  });

  await t.test('rclone lsf and sync down: what the block holds, byte for byte', async () => {
    const ls = await rc('lsf', '-R', '--files-only', 'p:live/event');
    assert.equal(ls.code, 0, ls.out);
    assert.deepEqual(ls.out.trim().split('\n').sort(), ['big.mp4', 'index.m3u8', 'seg/000 a+b.ts', 'seg/001.ts']);
    const back = join(dir, 'back');
    const r = await rc('sync', 'p:live/event', back);
    assert.equal(r.code, 0, r.out);
    for (const name of ['big.mp4', 'index.m3u8', 'seg/000 a+b.ts', 'seg/001.ts']) assert.ok(readFileSync(join(back, name)).equals(readFileSync(join(src, name))), name);
  });

  const s3 = s3cmd(dir, `127.0.0.1:${proxy.port}`);
  await t.test('s3cmd put, ls, get, del', async () => {
    const put = await s3('put', join(src, 'index.m3u8'), 's3://live/s3cmd/index.m3u8');
    assert.equal(put.code, 0, put.out);
    const ls = await s3('ls', 's3://live/');
    assert.equal(ls.code, 0, ls.out);
    assert.match(ls.out, /DIR\s+s3:\/\/live\/event\//);
    assert.match(ls.out, /DIR\s+s3:\/\/live\/s3cmd\//);
    assert.doesNotMatch(ls.out, /secret/);
    const lsr = await s3('ls', '-r', 's3://live/event/seg/');
    assert.match(lsr.out, /70000\s+s3:\/\/live\/event\/seg\/000 a\+b\.ts/);
    const got = join(dir, 'got.m3u8');
    const get = await s3('get', '--force', 's3://live/s3cmd/index.m3u8', got);
    assert.equal(get.code, 0, get.out);
    assert.equal(readFileSync(got, 'utf8'), '#EXTM3U\n');
    const del = await s3('del', 's3://live/s3cmd/index.m3u8');
    assert.equal(del.code, 0, del.out);
    assert.equal(await origin.getObject(BUCKET, 'live/s3cmd/index.m3u8'), undefined);
  });

  await t.test("the store never saw the clients' credentials, nor a request outside keyPrefix", () => assertStoreSawOnlyTheBlock(origin));
});
