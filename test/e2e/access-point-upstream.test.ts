// Issue #22, access points as the upstream: the block's ARN gives the host requests are sent and
// signed for (`<name>-<account>.s3-accesspoint.<region>.amazonaws.com`, the key as the whole path)
// and the signing region; the strict origin maps that host to its bucket and verifies every
// signature. An access point alias is simply written as the bucket. `check` refuses what cannot work.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { raw } from '../support/origin-client.js';
import { binPath } from '../support/paths.js';
import { startProxyCli, writeConfig } from '../support/proxy-cli.js';

const BUCKET = 'ap-bucket';
const KEYS = { accessKeyId: 'AKIDACCESSPOINT0001', secretAccessKey: 'access/point+secret=0123456789' };
const ARN = 'arn:aws:s3:us-east-1:123456789012:accesspoint/media-ap';

test('an access point ARN: requests go to its host, signed for its region, and reach its bucket', async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const host = origin.createAccessPoint({ name: 'media-ap', account: '123456789012', region: 'us-east-1', bucket: BUCKET });
  await origin.putObject(BUCKET, 'films/a b.mp4', 'film');
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [
      { path: '/h/', upstream: { accessPoint: ARN, endpoint: `http://localhost:${origin.port}` }, credentials: KEYS, methods: ['GET', 'HEAD', 'PUT'] },
      { path: '/q/', upstream: { accessPoint: ARN, endpoint: `http://localhost:${origin.port}` }, credentials: KEYS, signing: { mode: 'query' } },
    ],
  });
  for (const prefix of ['/h/', '/q/']) {
    const before = origin.requests.length;
    const res = await raw(proxy.port, { path: `${prefix}films/a%20b.mp4` });
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.equal(res.text, 'film');
    const seen = origin.requests.slice(before);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.headers.host, host, 'signed for the access point host');
    assert.equal(seen[0]!.url.split('?')[0], '/films/a%20b.mp4', 'the key is the whole path');
    assert.match(seen[0]!.url + String(seen[0]!.headers.authorization ?? ''), /us-east-1%2Fs3%2Faws4_request|us-east-1\/s3\/aws4_request/, 'the ARN region signs');
  }
  const put = await raw(proxy.port, { method: 'PUT', path: '/h/up.txt', body: 'written', headers: { 'content-length': '7' } });
  assert.equal(put.status, 200, put.text);
  assert.equal((await origin.getObject(BUCKET, 'up.txt'))?.toString(), 'written');
});

test('check: an access point with SigV2, another region or path addressing, and a multi-region one without SigV4A are refused', () => {
  const file = writeConfig({
    proxies: [
      { path: '/a/', upstream: { accessPoint: ARN }, credentials: KEYS, signing: { version: 'v2' } },
      { path: '/b/', upstream: { accessPoint: ARN, region: 'eu-west-1', addressing: 'path' }, credentials: KEYS },
      { path: '/c/', upstream: { accessPoint: 'arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap' }, credentials: KEYS },
      { path: '/d/', upstream: { bucket: BUCKET, accessPoint: ARN }, credentials: KEYS },
      { path: '/e/', upstream: { accessPoint: 'arn:aws:s3:us-east-1:12:accesspoint/x' }, credentials: KEYS },
    ],
  });
  const r = spawnSync(binPath, ['check', file], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stdout);
  for (const path of ['proxies[0].upstream.accessPoint', 'proxies[1].upstream.region', 'proxies[1].upstream.addressing', 'proxies[2].upstream.accessPoint', 'proxies[3].upstream.bucket', 'proxies[4].upstream.accessPoint']) {
    assert.ok(r.stderr.includes(`${path}:`), `${path} in\n${r.stderr}`);
  }
});
