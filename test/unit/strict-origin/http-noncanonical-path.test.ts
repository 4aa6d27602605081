/**
 * S3's canonical URI is the decoded key re-encoded once (unreserved kept,
 * upper-case %XX, `/` kept). A client that signed a non-canonical spelling of
 * the path is refused, whatever it sent on the wire; how the wire spells the
 * path does not matter when the signature covers the canonical form.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signV4ByHand } from '../../support/hand-signers.js';
import { BUCKET, amzDate, origin, raw, s3, xmlField } from '../../support/origin-client.js';

const NOW = Date.UTC(2024, 3, 1, 0, 0, 0);
const UNSIGNED = 'UNSIGNED-PAYLOAD';

async function get(o: Awaited<ReturnType<typeof origin>>, wirePath: string, signedUri: string) {
  const host = `127.0.0.1:${o.port}`;
  const headers = signV4ByHand({ method: 'GET', canonicalUri: signedUri, host, amzDate: amzDate(NOW), payloadHash: UNSIGNED });
  return raw(o.port, { path: wirePath, headers });
}

test('signature over a raw "(" is refused, whether the wire has "(" or "%28"', async (t) => {
  const o = await origin(t, { clock: () => NOW });
  await o.putObject(BUCKET, 'a(b)', 'v');
  for (const wire of [`/${BUCKET}/a(b)`, `/${BUCKET}/a%28b%29`]) {
    const r = await get(o, wire, `/${BUCKET}/a(b)`);
    assert.equal(r.status, 403, wire);
    assert.equal(xmlField(r.text, 'Code'), 'SignatureDoesNotMatch');
    assert.equal(xmlField(r.text, 'CanonicalRequest')?.split('\n')[1], `/${BUCKET}/a%28b%29`);
  }
});

test('signature over the canonical "%28" is accepted for either wire spelling', async (t) => {
  const o = await origin(t, { clock: () => NOW });
  await o.putObject(BUCKET, 'a(b)', 'v');
  for (const wire of [`/${BUCKET}/a%28b%29`, `/${BUCKET}/a(b)`]) {
    const r = await get(o, wire, `/${BUCKET}/a%28b%29`);
    assert.equal(r.status, 200, `${wire}: ${r.text}`);
    assert.equal(r.text, 'v');
  }
});

test('lower-case %2f signed as such is refused; the canonical form is "/"', async (t) => {
  const o = await origin(t, { clock: () => NOW });
  await o.putObject(BUCKET, 'a/b', 'v');
  assert.equal((await get(o, `/${BUCKET}/a%2fb`, `/${BUCKET}/a%2fb`)).status, 403);
  assert.equal((await get(o, `/${BUCKET}/a%2fb`, `/${BUCKET}/a%2Fb`)).status, 403);
  const ok = await get(o, `/${BUCKET}/a%2fb`, `/${BUCKET}/a/b`);
  assert.equal(ok.status, 200, ok.text);
});

test('raw "+" in the path is a literal plus: signing it as a space (aws4) is refused', async (t) => {
  const o = await origin(t, { clock: () => NOW });
  await o.putObject(BUCKET, 'a+b', 'plus');
  await o.putObject(BUCKET, 'a b', 'space');
  // aws4 decodes "+" in an S3 path to a space and signs %20; S3 (and the origin) read a literal "+".
  const r = await s3(o, { path: `/${BUCKET}/a+b`, headers: { 'X-Amz-Date': amzDate(NOW) } });
  assert.equal(r.status, 403);
  assert.equal(xmlField(r.text, 'CanonicalRequest')?.split('\n')[1], `/${BUCKET}/a%2Bb`);
  const ok = await get(o, `/${BUCKET}/a+b`, `/${BUCKET}/a%2Bb`);
  assert.equal(ok.text, 'plus');
});

test('unencoded "$" signed raw is refused; signed as %24 it is accepted', async (t) => {
  const o = await origin(t, { clock: () => NOW });
  await o.putObject(BUCKET, 'test$file.text', 'v');
  assert.equal((await get(o, `/${BUCKET}/test$file.text`, `/${BUCKET}/test$file.text`)).status, 403);
  assert.equal((await get(o, `/${BUCKET}/test$file.text`, `/${BUCKET}/test%24file.text`)).status, 200);
});

test('invalid percent-encoding or invalid UTF-8 in the path is 400 InvalidURI', async (t) => {
  const o = await origin(t, { clock: () => NOW });
  for (const wire of [`/${BUCKET}/a%zz`, `/${BUCKET}/a%C3%28`, `/${BUCKET}/a%`]) {
    const r = await get(o, wire, wire);
    assert.equal(r.status, 400, wire);
    assert.equal(xmlField(r.text, 'Code'), 'InvalidURI');
  }
});
