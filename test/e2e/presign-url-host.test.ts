// `origin-signer presign` printed URLs the store refuses. For an access point reached through
// upstream.endpoint the URL named the endpoint while its signature named the access point's host:
// it now names the access point's own host, as without an endpoint. A MediaStore PUT (a generic
// service's presigned URL signs the body's hash; the URL signed an empty one) is refused with a
// reason (exit 2).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { binPath } from '../support/paths.js';
import { writeConfig } from '../support/proxy-cli.js';

const KEYS = { accessKeyId: 'AKIDPRESIGNREFUSED01', secretAccessKey: 'presign/refused+secret' };
const ARN = 'arn:aws:s3:us-east-1:123456789012:accesspoint/my-ap';

const presign = (file: string, path: string, method = 'GET') => spawnSync(binPath, ['presign', '--config', file, '--path', path, '--method', method], { encoding: 'utf8', timeout: 20_000 });

test('presign names the host a URL is signed for, and refuses a MediaStore PUT', () => {
  const file = writeConfig({
    proxies: [
      { path: '/vpce/', upstream: { accessPoint: ARN, endpoint: 'https://vpce.example.internal' }, credentials: KEYS },
      { path: '/ap/', upstream: { accessPoint: ARN }, credentials: KEYS },
      { path: '/ms/', upstream: { type: 'mediastore', endpoint: 'https://abcd.data.mediastore.us-east-1.amazonaws.com', region: 'us-east-1' }, credentials: KEYS, methods: ['GET', 'HEAD', 'PUT'] },
    ],
  });
  for (const path of ['/vpce/a.txt', '/ap/a.txt']) {
    const ap = presign(file, path);
    assert.equal(ap.status, 0, ap.stderr);
    assert.match(ap.stdout, /^https:\/\/my-ap-123456789012\.s3-accesspoint\.us-east-1\.amazonaws\.com\/a\.txt\?X-Amz-Algorithm=/, path);
  }

  const put = presign(file, '/ms/live/seg1.ts', 'PUT');
  assert.equal(put.status, 2, put.stdout + put.stderr);
  assert.match(put.stderr, /presigned MediaStore PUT would sign an empty body/);
  const get = presign(file, '/ms/live/index.m3u8');
  assert.equal(get.status, 0, get.stderr);
  assert.match(get.stdout, /^https:\/\/abcd\.data\.mediastore\.us-east-1\.amazonaws\.com\/live\/index\.m3u8\?/);
});
