// README "What reaches the bucket", step 4: one table decides, per method, what each viewer query parameter
// becomes; forwarded ones are re-encoded canonically.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queryVerdict, upstreamQuery } from '../../../src/proxy/upstream-query.js';

const q = (method: string, raw: string): string => {
  const r = upstreamQuery(method, raw);
  assert.ok('query' in r, JSON.stringify(r));
  return r.query;
};
const refused = (method: string, raw: string): string => {
  const r = upstreamQuery(method, raw);
  assert.ok('error' in r && r.refused, `${method} ?${raw} is refused: ${JSON.stringify(r)}`);
  return r.error;
};

test('reads drop parameters S3 does not understand, and viewer signature parameters', () => {
  assert.equal(q('GET', 'cachebust=123&Expires=1&Signature=x&Key-Pair-Id=K&X-Amz-Signature=abc&X-Amz-Credential=a%2Fb'), '');
  assert.equal(q('HEAD', 'v=2'), '');
});

test('reads forward versionId and partNumber, encoded with the SigV4 rules and sorted', () => {
  assert.equal(q('GET', 'versionId=3%2FL4kq%2Bx&partNumber=2'), 'partNumber=2&versionId=3%2FL4kq%2Bx');
  assert.equal(q('GET', 'versionId=a%2Bb'), 'versionId=a%2Bb');
  assert.equal(q('GET', 'versionId=a+b'), 'versionId=a%20b');
});

// Regression "response-* overrides for anyone": ?response-content-type=text/html served any object
// as HTML (stored XSS) and ?response-cache-control set what a CDN keeps.
test('response-* overrides are never forwarded: dropped on reads, refused on writes', () => {
  assert.equal(q('GET', 'response-content-type=text%2Fhtml&response-cache-control=max-age%3D31536000'), '');
  refused('PUT', 'response-content-type=text%2Fhtml');
});

// Regression "sub-resources on writes become plain writes": DELETE ?tagging deleted the object,
// PUT ?tagging replaced it with the <Tagging> XML; GET ?acl / ?policy / ?torrent served the object.
test('sub-resources are refused on every method, never stripped', () => {
  for (const sub of ['tagging', 'acl', 'retention', 'legal-hold', 'policy', 'torrent', 'restore', 'select', 'select-type', 'attributes', 'cors', 'website', 'versions', 'delete']) {
    for (const method of ['GET', 'HEAD', 'PUT', 'POST', 'DELETE']) {
      assert.match(refused(method, sub), new RegExp(sub), `${method} ?${sub}`);
      assert.equal(queryVerdict(method, sub), 'refuse');
    }
  }
});

test('names are judged decoded, so an encoded ?tagging is still refused; other cases are not S3 sub-resources', () => {
  refused('DELETE', '%74agging');
  refused('DELETE', 'TAGGING=');
  refused('PUT', 'x%2Did=CopyObject');
  // On a read a name in another case is dropped, so the store never sees it either (S3 compares
  // names case and all; CloudFront's signed-URL `Policy` is not the `policy` sub-resource).
  assert.equal(q('GET', 'Acl&Policy=eyJ9'), '');
});

test('uploads and uploadId only where their multipart step is', () => {
  refused('GET', 'uploads');
  refused('GET', 'uploadId=u1');
  assert.deepEqual(upstreamQuery('GET', 'uploadId=u1', new Set(), true), { query: 'uploadId=u1' }, 'ListParts on a write block');
  refused('HEAD', 'uploadId=u1');
  refused('DELETE', 'uploads');
  assert.equal(q('POST', 'uploads'), 'uploads');
  assert.equal(q('POST', 'uploadId=u1'), 'uploadId=u1');
  assert.equal(q('PUT', 'partNumber=2&uploadId=u%2B1'), 'partNumber=2&uploadId=u%2B1');
  assert.equal(q('DELETE', 'uploadId=u1'), 'uploadId=u1');
  assert.equal(q('DELETE', 'versionId=v1'), 'versionId=v1');
});

test('a part upload needs both its part and its upload; a POST is only a multipart step', () => {
  refused('PUT', 'partNumber=2');
  refused('PUT', 'uploadId=u1');
  refused('POST', '');
  refused('POST', 'uploads&uploadId=u1');
  refused('PUT', 'versionId=v1');
});

test('writes refuse parameters they do not forward; parameters the access rules read are dropped', () => {
  refused('PUT', 'cachebust=1');
  refused('DELETE', 'X-Amz-Signature=abc');
  const consumed = new Set(['Expires', 'Signature', 'Key-Pair-Id']);
  const r = upstreamQuery('PUT', 'Expires=1&Signature=x&Key-Pair-Id=K', consumed);
  assert.deepEqual(r, { query: '' });
});

test('a forwarded parameter given twice is refused (which one would the store read?)', () => {
  refused('GET', 'versionId=a&versionId=b');
});

test('invalid percent-encoding is a bad request, not a refusal', () => {
  const r = upstreamQuery('GET', 'versionId=%zz');
  assert.ok('error' in r && !('refused' in r));
  assert.match(r.error, /percent-encoding/);
});

// Regression "the AWS SDK for JavaScript cannot read or write through the proxy": SDK v3 adds
// ?x-id=GetObject / PutObject / … to object requests, which were refused as a sub-resource.
test("x-id naming the method's own operation is dropped; any other x-id is refused", () => {
  assert.equal(q('GET', 'x-id=GetObject'), '');
  assert.equal(q('GET', 'x-id=GetObject&versionId=v1'), 'versionId=v1');
  assert.equal(q('HEAD', 'x-id=HeadObject'), '');
  assert.equal(q('PUT', 'x-id=PutObject'), '');
  assert.equal(q('PUT', 'x-id=UploadPart&partNumber=1&uploadId=u'), 'partNumber=1&uploadId=u');
  assert.equal(q('DELETE', 'x-id=DeleteObject'), '');
  assert.equal(q('DELETE', 'x-id=AbortMultipartUpload&uploadId=u'), 'uploadId=u');
  assert.equal(q('POST', 'uploads&x-id=CreateMultipartUpload'), 'uploads');
  for (const [method, raw] of [
    ['GET', 'x-id=DeleteObject'], ['GET', 'x-id'], ['GET', 'x-id='], ['GET', 'x-id=getobject'], ['PUT', 'x-id=CopyObject'],
    ['PUT', 'x-id=GetObject'], ['DELETE', 'x-id=PutObject'], ['POST', 'uploads&x-id=DeleteObjects'], ['GET', '%78-id=ListBuckets'],
  ] as const) {
    assert.match(refused(method, raw), /^x-id=.* names another operation than/, `${method} ?${raw}`);
  }
  assert.equal(queryVerdict('GET', 'x-id'), 'refuse', 'the name alone is still a sub-resource');
});
