// README "Listing a block like a bucket": the AWS CLI (v2, Debian's package), as operators run it,
// against a block with listObjects over the strict origin (which checks every signature).
// `aws s3 sync` lists the block, uploads what is new — a file over the CLI's 8 MiB threshold in
// parts — and with --delete removes what went away; `aws s3 ls`, `aws s3 cp` and `aws s3api
// list-objects-v2` paging read it back. Before listObjects, every sync stopped at its listing (404).
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUCKET } from '../support/modes-fixture.js';
import { awsCli, awsCliSkipReason } from '../support/s3-clients.js';
import { assertStoreSawOnlyTheBlock, bytes, clientsFixture } from '../support/s3-clients-fixture.js';

test('the AWS CLI syncs, lists and pages through a listObjects block', { skip: awsCliSkipReason(), timeout: 180_000 }, async (t) => {
  const { dir, origin, proxy, src, files } = await clientsFixture(t, { 'seg/002.ts': bytes(600, 5) });
  const aws = awsCli(dir, proxy.url);

  await t.test('aws s3 sync up: every file stored under keyPrefix, the large one in parts', async () => {
    const r = await aws('s3', 'sync', src, 's3://live/event/');
    assert.equal(r.code, 0, r.out);
    for (const [name, data] of Object.entries(files)) assert.ok((await origin.getObject(BUCKET, `live/event/${name}`))?.equals(data), name);
    assert.ok(origin.requests.some((o) => o.method === 'POST' && /uploadId=/.test(o.url)), 'CompleteMultipartUpload reached the store');
  });

  await t.test('aws s3 ls: the block as a bucket, nothing outside keyPrefix', async () => {
    const top = await aws('s3', 'ls', 's3://live/');
    assert.equal(top.code, 0, top.out);
    assert.match(top.out, /PRE event\//);
    assert.doesNotMatch(top.out, /secret/);
    const all = await aws('s3', 'ls', '--recursive', 's3://live/event/');
    assert.equal(all.code, 0, all.out);
    assert.match(all.out, /\s70000 event\/seg\/000 a\+b\.ts/);
    assert.match(all.out, /event\/seg\/vidéo\.ts/);
  });

  await t.test('aws s3 sync --delete: a removed file is deleted, an added one stored, nothing else sent', async () => {
    rmSync(join(src, 'seg', 'vidéo.ts'));
    writeFileSync(join(src, 'seg', '001.ts'), bytes(500, 4));
    const before = origin.requests.length;
    const r = await aws('s3', 'sync', '--delete', src, 's3://live/event/');
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /upload: .*seg\/001\.ts to s3:\/\/live\/event\/seg\/001\.ts/);
    assert.match(r.out, /delete: s3:\/\/live\/event\/seg\/vidéo\.ts/);
    assert.equal(await origin.getObject(BUCKET, 'live/event/seg/vidéo.ts'), undefined);
    const writes = origin.requests.slice(before).filter((o) => o.method === 'PUT');
    assert.equal(writes.length, 1, 'unchanged files are not uploaded again');
  });

  await t.test('aws s3api list-objects-v2 pages two keys at a time to the end', async () => {
    const before = origin.requests.length;
    const r = await aws('s3api', 'list-objects-v2', '--bucket', 'live', '--prefix', 'event/seg/', '--page-size', '2', '--output', 'json');
    assert.equal(r.code, 0, r.out);
    const keys = (JSON.parse(r.out) as { Contents: Array<{ Key: string }> }).Contents.map((c) => c.Key);
    assert.deepEqual(keys, ['event/seg/000 a+b.ts', 'event/seg/001.ts', 'event/seg/002.ts']);
    const lists = origin.requests.slice(before).filter((o) => o.method === 'GET' && /[?&]list-type=2/.test(o.url));
    assert.equal(lists.length, 2, 'two pages: a continuation token was followed');
  });

  await t.test("aws s3api get-bucket-location: the block's region, answered by the proxy", async () => {
    const r = await aws('s3api', 'get-bucket-location', '--bucket', 'live', '--output', 'json');
    assert.equal(r.code, 0, r.out);
    assert.equal((JSON.parse(r.out) as { LocationConstraint: string | null }).LocationConstraint, null, 'us-east-1: no constraint');
  });

  await t.test('aws s3 sync down and cp to stdout: byte for byte', async () => {
    const back = join(dir, 'back');
    const r = await aws('s3', 'sync', 's3://live/event/', back);
    assert.equal(r.code, 0, r.out);
    for (const name of ['big.mp4', 'index.m3u8', 'seg/000 a+b.ts', 'seg/001.ts', 'seg/002.ts']) assert.ok(readFileSync(join(back, name)).equals(readFileSync(join(src, name))), name);
    const cat = await aws('s3', 'cp', 's3://live/event/index.m3u8', '-');
    assert.equal(cat.code, 0, cat.out);
    assert.equal(cat.out, '#EXTM3U\n');
  });

  await t.test('aws s3 rm --recursive: the block emptied, the key outside it kept', async () => {
    const r = await aws('s3', 'rm', '--recursive', 's3://live/event/');
    assert.equal(r.code, 0, r.out);
    const left = await aws('s3', 'ls', '--recursive', 's3://live/');
    assert.equal(left.out.trim(), '');
    assert.equal(await origin.getObject(BUCKET, 'secret.txt').then((b) => b?.toString()), 'outside the block');
  });

  await t.test("the store never saw the CLI's credentials, nor a request outside keyPrefix", () => assertStoreSawOnlyTheBlock(origin));
});
