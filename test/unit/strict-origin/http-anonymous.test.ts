/** Requests without any credentials are refused with 403 AccessDenied and store nothing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET, origin, s3, xmlField } from '../../support/origin-client.js';

test('anonymous GET, HEAD, PUT and list are 403 AccessDenied', async (t) => {
  const o = await origin(t);
  await o.putObject(BUCKET, 'secret.txt', 'top secret');
  const get = await s3(o, { path: `/${BUCKET}/secret.txt`, creds: null });
  assert.equal(get.status, 403);
  assert.equal(xmlField(get.text, 'Code'), 'AccessDenied');
  assert.equal(xmlField(get.text, 'Message'), 'Access Denied');
  assert.ok(get.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Error>'));
  assert.equal(xmlField(get.text, 'RequestId'), get.headers['x-amz-request-id']);
  assert.doesNotMatch(get.text, /top secret/);

  const head = await s3(o, { method: 'HEAD', path: `/${BUCKET}/secret.txt`, creds: null });
  assert.equal(head.status, 403);
  assert.equal(head.body.length, 0);

  const put = await s3(o, { method: 'PUT', path: `/${BUCKET}/new.txt`, creds: null, body: 'x', headers: { 'Content-Length': '1' } });
  assert.equal(put.status, 403);
  assert.equal(await o.getObject(BUCKET, 'new.txt'), undefined);

  const list = await s3(o, { path: `/${BUCKET}?list-type=2`, creds: null });
  assert.equal(list.status, 403);

  assert.deepEqual(
    o.requests.map((r) => [r.auth, r.status, r.errorCode]),
    [
      ['anonymous', 403, 'AccessDenied'],
      ['anonymous', 403, 'AccessDenied'],
      ['anonymous', 403, 'AccessDenied'],
      ['anonymous', 403, 'AccessDenied'],
    ],
  );
});

test('an unknown Authorization scheme is 400 InvalidArgument and logged as malformed', async (t) => {
  const o = await origin(t);
  const r = await s3(o, { path: `/${BUCKET}/x`, creds: null, headers: { Authorization: 'Bearer abc' } });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'InvalidArgument');
  assert.equal(o.requests[0]?.auth, 'malformed');
});
