// The store-headers interceptor tells the operation from the target's parts, never from a joined
// path: a listing is the block's base path, a part upload (uploadId) gets SSE-C but not SSE-KMS.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Dispatcher } from 'undici';
import { dispatchTarget, type TargetedDispatchOptions, type UpstreamTarget } from '../../../src/http/upstream-target.js';
import { storeHeadersInterceptor } from '../../../src/interceptors/store-headers.js';

const BASE = '/bucket';
const H = { all: { 'x-amz-request-payer': 'requester' }, objects: { 'x-amz-server-side-encryption-customer-algorithm': 'AES256' }, creates: { 'x-amz-server-side-encryption': 'aws:kms' } };

function added(method: Dispatcher.HttpMethod, target: UpstreamTarget): string[] {
  const sent: Dispatcher.DispatchOptions[] = [];
  const dispatch = storeHeadersInterceptor(H, BASE)((opts) => {
    sent.push(opts);
    return true;
  });
  const opts: TargetedDispatchOptions = { origin: 'http://store.test', method, ...dispatchTarget(target), headers: { host: 'store.test' }, body: null };
  dispatch(opts, {});
  return Object.keys(sent[0]!.headers as Record<string, string>).filter((h) => h !== 'host').sort();
}

test('headers follow the operation the target parts name', () => {
  const all = ['x-amz-request-payer'];
  const objects = [...all, 'x-amz-server-side-encryption-customer-algorithm'].sort();
  const creates = [...objects, 'x-amz-server-side-encryption'].sort();
  assert.deepEqual(added('GET', { path: BASE, query: 'list-type=2&prefix=a%3F' }), all, 'a listing');
  assert.deepEqual(added('GET', { path: `${BASE}/a%3Fb`, query: '' }), objects, 'GetObject');
  assert.deepEqual(added('PUT', { path: `${BASE}/a%3Fb`, query: '' }), creates, 'PutObject');
  assert.deepEqual(added('PUT', { path: `${BASE}/a%3Fb`, query: 'partNumber=1&uploadId=x' }), objects, 'UploadPart');
  assert.deepEqual(added('POST', { path: `${BASE}/a%3Fb`, query: 'uploads' }), creates, 'CreateMultipartUpload');
  assert.deepEqual(added('POST', { path: `${BASE}/a%3Fb`, query: 'uploadId=x' }), all, 'CompleteMultipartUpload');
});
