/** Conditional GET/HEAD over HTTP: 304 without body keeping ETag/Last-Modified, 412 PreconditionFailed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET, origin, s3, xmlField } from '../../support/origin-client.js';

const LM = new Date(Date.UTC(2024, 0, 10, 12, 0, 0));

async function setup(t: Parameters<typeof origin>[0]) {
  const o = await origin(t);
  await o.putObject(BUCKET, 'k', 'content', { lastModified: LM });
  const etag = (await s3(o, { method: 'HEAD', path: `/${BUCKET}/k` })).headers.etag as string;
  return { o, etag };
}

test('If-None-Match with the current ETag → 304, no body, validators kept', async (t) => {
  const { o, etag } = await setup(t);
  const r = await s3(o, { path: `/${BUCKET}/k`, headers: { 'If-None-Match': etag } });
  assert.equal(r.status, 304);
  assert.equal(r.body.length, 0);
  assert.equal(r.headers.etag, etag);
  assert.equal(r.headers['last-modified'], LM.toUTCString());
});

test('If-Modified-Since at Last-Modified → 304; before it → 200', async (t) => {
  const { o } = await setup(t);
  assert.equal((await s3(o, { path: `/${BUCKET}/k`, headers: { 'If-Modified-Since': LM.toUTCString() } })).status, 304);
  const r = await s3(o, { path: `/${BUCKET}/k`, headers: { 'If-Modified-Since': new Date(LM.getTime() - 1000).toUTCString() } });
  assert.equal(r.status, 200);
  assert.equal(r.text, 'content');
});

test('If-Match with another ETag → 412 PreconditionFailed', async (t) => {
  const { o, etag } = await setup(t);
  const r = await s3(o, { path: `/${BUCKET}/k`, headers: { 'If-Match': '"0000"' } });
  assert.equal(r.status, 412);
  assert.equal(xmlField(r.text, 'Code'), 'PreconditionFailed');
  assert.equal(xmlField(r.text, 'Condition'), 'If-Match');
  assert.equal((await s3(o, { path: `/${BUCKET}/k`, headers: { 'If-Match': etag } })).status, 200);
});

test('If-Unmodified-Since before Last-Modified → 412; If-Match true overrides it', async (t) => {
  const { o, etag } = await setup(t);
  const early = new Date(LM.getTime() - 3600_000).toUTCString();
  assert.equal((await s3(o, { path: `/${BUCKET}/k`, headers: { 'If-Unmodified-Since': early } })).status, 412);
  assert.equal((await s3(o, { path: `/${BUCKET}/k`, headers: { 'If-Unmodified-Since': early, 'If-Match': etag } })).status, 200);
});

test('HEAD: 304 and 412 have no body', async (t) => {
  const { o, etag } = await setup(t);
  const nm = await s3(o, { method: 'HEAD', path: `/${BUCKET}/k`, headers: { 'If-None-Match': etag } });
  assert.equal(nm.status, 304);
  assert.equal(nm.body.length, 0);
  const pf = await s3(o, { method: 'HEAD', path: `/${BUCKET}/k`, headers: { 'If-Match': '"x"' } });
  assert.equal(pf.status, 412);
  assert.equal(pf.body.length, 0);
});
