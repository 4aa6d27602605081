// The request-path property's checks (test/e2e/request-path.property.test.ts) on hand-made origin
// records and responses, no servers: each check fires on what it looks for and stays quiet on the
// proxy's own requests — without this a check that can never fire would pass the property for ever.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordedRequest } from '@origin-signer/strict-origin';
import type { GenHeader, ViewerRequest } from '../support/request-path/arbitraries.js';
import { CREDS, PRESIGN_EXPIRES } from '../support/request-path/fixture.js';
import { checkOriginRequest } from '../support/request-path/origin-checks.js';
import { followRedirect } from '../support/request-path/redirect.js';
import { checkResponse, checkServedObject, hexBytes, signaturesOf } from '../support/request-path/response-checks.js';
import { render, type ViewerResponse } from '../support/request-path/wire.js';

test('the checks catch what they look for (no servers: hand-made origin records)', async () => {
  const req = (method: string, path: string, query: string[] | null, headers: GenHeader[] = []): ViewerRequest => ({
    method,
    prefix: path.slice(0, 4),
    rest: [path.slice(4)],
    query,
    headers,
    host: null,
    body: { framing: 'none', te: 'chunked', bytes: [], aws: null },
    fault: null,
  });
  const rec = (method: string, url: string, headers: Record<string, string>): RecordedRequest => ({ method, url, headers: { host: 'localhost:1', ...headers }, auth: 'v4-header', status: 200, bytesIn: 0 });
  const own = { authorization: `AWS4-HMAC-SHA256 Credential=${CREDS.accessKeyId}/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`, 'x-amz-security-token': CREDS.sessionToken };
  const kinds = (r: ViewerRequest, o: RecordedRequest): string[] => checkOriginRequest(r, render(r, 1).toString('latin1'), o).map((x) => x.kind);

  assert.deepEqual(kinds(req('PUT', '/wh/a.txt', null), rec('PUT', '/ps-write/w/h/a.txt', own)), [], 'a plain write is fine');
  const control = req('PUT', '/wh/a.txt', ['tagging'], [{ name: 'x-amz-acl', value: 'VIEWERCTLacl' }]);
  const found = kinds(control, rec('PUT', '/ps-write/w/h/a.txt', { ...own, 'x-amz-acl': 'VIEWERCTLacl', 'x-amz-meta-ok': '1' }));
  assert.deepEqual(found.sort(), ['I2:write-param-dropped(sub-resource)', 'I3:control-header-forwarded', 'I3:viewer-value-forwarded']);
  // The bug the property missed: a copy whose header the proxy dropped reached the store as an empty PutObject.
  const copy = req('PUT', '/wh/a.txt', null, [{ name: 'X-Amz-Copy-Source', value: '/ps-other/a.txt' }]);
  assert.deepEqual(kinds(copy, rec('PUT', '/ps-write/w/h/a.txt', own)), ['I2:copy-became-write']);
  assert.deepEqual(kinds(req('GET', '/wh/a.txt', null, [{ name: 'x-amz-rename-source', value: '/b/k' }]), rec('GET', '/ps-write/w/h/a.txt', own)), [], 'on a read the header is only dropped');
  // The bug after it: encryption or a lock asked for on a write, dropped, and the object stored without it.
  const sse = req('PUT', '/wh/a.txt', null, [{ name: 'X-Amz-Server-Side-Encryption', value: 'aws:kms' }]);
  assert.deepEqual(kinds(sse, rec('PUT', '/ps-write/w/h/a.txt', own)), ['I2:protection-dropped']);
  const sseS3 = req('PUT', '/wh/a.txt', null, [{ name: 'x-amz-server-side-encryption', value: 'AES256' }]);
  assert.deepEqual(kinds(sseS3, rec('PUT', '/ps-write/w/h/a.txt', { ...own, 'x-amz-server-side-encryption': 'AES256' })), [], 'SSE-S3 is forwarded as asked');
  assert.deepEqual(kinds(req('POST', '/wh/a.txt', ['uploads'], [{ name: 'x-amz-object-lock-mode', value: 'GOVERNANCE' }]), rec('POST', '/ps-write/w/h/a.txt?uploads', own)), ['I2:protection-dropped']);
  assert.deepEqual(kinds(req('DELETE', '/wh/a.txt', null, [{ name: 'x-amz-object-lock-mode', value: 'GOVERNANCE' }]), rec('DELETE', '/ps-write/w/h/a.txt', own)), [], 'a delete stores nothing');
  // A nested block's key, read through its parent by an encoded spelling of the nested prefix.
  const virtualRead = (path: string): RecordedRequest => rec('GET', path, { ...own, host: 'ps-read.localhost:1' });
  assert.deepEqual(kinds(req('GET', '/rh/%70/a.txt', null), virtualRead('/r/h/p/a.txt')), ['I1:nested-block-bypassed']);
  assert.deepEqual(kinds(req('GET', '/rh/p/a.txt', null), virtualRead('/r/h/p/a.txt')), [], 'through the nested block itself');
  assert.deepEqual(kinds(req('GET', '/rh/a.txt', null), virtualRead('/r/h/a.txt')), []);
  // A block S3 clients list: a bucket-level ListObjects(V2) under keyPrefix, whatever the viewer's method of reading.
  const list = (query: string): RecordedRequest => rec('GET', `/?${query}`, { ...own, host: 'ps-read.localhost:1' });
  assert.deepEqual(kinds(req('GET', '/rl/', ['list-type=2']), list('encoding-type=url&list-type=2&max-keys=1000&prefix=r%2Fl%2F')), []);
  assert.deepEqual(kinds(req('HEAD', '/rl', ['marker=x']), list('encoding-type=url&marker=r%2Fl%2Fx&max-keys=1000&prefix=r%2Fl%2F')), [], 'ListObjects, no delimiter');
  assert.deepEqual(kinds(req('GET', '/rl/', ['prefix=..%2F']), list('encoding-type=url&max-keys=1000&prefix=r%2F')), ['I1:list-outside-key-prefix']);
  assert.deepEqual(kinds(req('GET', '/rl/', null), list('list-type=2&prefix=r%2Fl%2F&start-after=r%2Fh%2Fa')), ['I1:list-outside-key-prefix']);
  assert.deepEqual(kinds(req('GET', '/rl/', null), list('list-type=2&prefix=r%2Fl%2F&versions')).map((k) => k.replace(/\(.*/, '')), ['I2:list-param']);
  // The SDKs' x-id: dropping the method's own operation id changes nothing; dropping any other is a write changed.
  assert.deepEqual(kinds(req('PUT', '/wh/a.txt', ['x-id=PutObject']), rec('PUT', '/ps-write/w/h/a.txt', own)), []);
  assert.deepEqual(kinds(req('PUT', '/wh/a.txt', ['x-id=CopyObject']), rec('PUT', '/ps-write/w/h/a.txt', own)), ['I2:write-param-dropped(other)']);
  // An SDK's aws-chunked upload: the store gets the object, never the framing, and nothing of a wrong one.
  const framed = (aws: NonNullable<ViewerRequest['body']['aws']>, path = '/wh/a.txt'): ViewerRequest => ({ ...req('PUT', path, null), body: { framing: 'length', te: 'chunked', bytes: [1, 2, 3, 4], aws } });
  const good = { signed: true, trailer: 'right', declared: 'right' } as const;
  const stored = (headers: Record<string, string>, bytesIn: number, url = '/ps-write/w/h/a.txt'): RecordedRequest => ({ ...rec('PUT', url, { ...own, ...headers }), bytesIn });
  assert.deepEqual(kinds(framed(good), stored({}, 4)), []);
  assert.deepEqual(kinds(framed(good), stored({ 'content-encoding': 'aws-chunked' }, 60)).sort(), ['I2:viewer-framing-forwarded', 'I2:viewer-framing-forwarded']);
  assert.deepEqual(kinds(framed({ ...good, trailer: 'wrong' }), stored({}, 4)), ['I2:bad-upload-stored']);
  assert.deepEqual(kinds(framed({ ...good, declared: 'off' }), stored({}, 4)), ['I2:bad-upload-stored']);
  assert.deepEqual(kinds(framed(good, '/ws/a.txt'), stored({ 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '4' }, 200, '/ps-write/w/s/a.txt')), [], 'a streaming block frames it again, its own way');
  assert.deepEqual(kinds(framed(good, '/ws/a.txt'), stored({ 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '90' }, 200, '/ps-write/w/s/a.txt')), ['I2:viewer-framing-forwarded']);
  const viewerAuth = req('GET', '/rh/a.txt', null, [{ name: 'authorization', value: 'Bearer VIEWERSECRETx' }]);
  assert.ok(kinds(viewerAuth, rec('GET', '/ps-read/r/h/a.txt', { authorization: 'Bearer VIEWERSECRETx' })).includes('I3:viewer-credential-forwarded'));
  const viewerDate = req('GET', '/rh/a.txt', null, [{ name: 'X-Amz-Date', value: '20200101T000000Z' }]);
  assert.deepEqual(kinds(viewerDate, rec('GET', '/ps-read/r/h/a.txt', { ...own, 'x-amz-date': '20200101T000000Z' })), ['I3:viewer-credential-forwarded']);
  assert.deepEqual(kinds(req('GET', '/rh/a.txt', ['response-content-type=x']), rec('GET', '/ps-read/r/h/a.txt?response-content-type=x', own)), ['I2:forwarded-param(response-* on GET)']);
  assert.deepEqual(kinds(req('GET', '/rh/a.txt', null), rec('GET', '/ps-other/r/h/a.txt', own)), ['I1:other-bucket']);
  assert.deepEqual(kinds(req('GET', '/rh/a.txt', null), rec('GET', '/ps-read/a.txt', own)).sort(), ['I1:outside-key-prefix', 'I2:wrong-key']);
  assert.deepEqual(kinds(req('GET', '/rh/a/../b', null), rec('GET', '/ps-read/r/h/a/../b', own)), ['I1:refusable-key-forwarded']);
  assert.deepEqual(kinds(req('DELETE', '/rh/a.txt', null), rec('DELETE', '/ps-read/r/h/a.txt', own)), ['I2:method-not-allowed-forwarded']);
  assert.deepEqual(kinds(req('POST', '/wh/a.txt', null), rec('POST', '/ps-write/w/h/a.txt', own)), ['I2:post-not-multipart']);
  // SigV4A and SigV2 blocks: their own Authorization and presigned parameters, no other.
  assert.deepEqual(kinds(req('GET', '/ra/a.txt', null), rec('GET', '/ps-read/r/a/a.txt', own)), ['I3:viewer-credential-forwarded'], 'a SigV4 Authorization on a SigV4A block');
  assert.deepEqual(kinds(req('GET', '/ra/a.txt', null), rec('GET', '/ps-read/r/a/a.txt', { ...own, authorization: own.authorization.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256') })), []);
  // A directory bucket: CreateSession with the proxy's keys for s3express, then the session's own credentials.
  const xHost = 'ps-xpress--use1-az4--x-s3.localhost:1';
  const sessions = [{ accessKeyId: 'SESSIONAKID0001', sessionToken: 'SESSIONTOKEN0001' }];
  const createSession = { host: xHost, authorization: `AWS4-HMAC-SHA256 Credential=${CREDS.accessKeyId}/20260101/us-east-1/s3express/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`, 'x-amz-create-session-mode': 'ReadOnly', 'x-amz-security-token': CREDS.sessionToken };
  const xkinds = (o: RecordedRequest): string[] => checkOriginRequest(req('GET', '/rx/a.txt', null), render(req('GET', '/rx/a.txt', null), 1).toString('latin1'), o, sessions).map((x) => x.kind);
  assert.deepEqual(xkinds(rec('GET', '/?session', createSession)), []);
  assert.deepEqual(xkinds(rec('GET', '/?session', { ...createSession, host: 'ps-other.localhost:1' })), ['I1:other-bucket']);
  const bySession = { host: xHost, authorization: `AWS4-HMAC-SHA256 Credential=SESSIONAKID0001/20260101/us-east-1/s3express/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`, 'x-amz-s3session-token': 'SESSIONTOKEN0001' };
  assert.deepEqual(xkinds(rec('GET', '/r/x/a.txt', bySession)), []);
  assert.deepEqual(xkinds(rec('GET', '/r/x/a.txt', { ...bySession, authorization: own.authorization })), ['I3:viewer-credential-forwarded'], 'the proxy\'s own keys, not a session\'s');
  assert.deepEqual(xkinds(rec('GET', '/r/x/a.txt', { ...bySession, 'x-amz-security-token': CREDS.sessionToken })), ['I3:control-header-forwarded'], 'x-amz-security-token on a directory bucket');
  const v2own = `AWSAccessKeyId=${CREDS.accessKeyId}&Expires=${Math.floor(Date.now() / 1000) + 60}&x-amz-security-token=${encodeURIComponent(CREDS.sessionToken)}&Signature=c2lnbmF0dXJl`;
  assert.deepEqual(kinds(req('GET', '/r2/a.txt', null), rec('GET', `/ps-read/r/2/a.txt?${v2own}`, {})), []);
  const v2viewer = req('GET', '/r2/a.txt', ['AWSAccessKeyId=VIEWERSECRETk']);
  assert.deepEqual(kinds(v2viewer, rec('GET', `/ps-read/r/2/a.txt?${v2own.replace(CREDS.accessKeyId, 'VIEWERSECRETk')}`, {})).sort(), ['I3:viewer-credential-forwarded', 'I3:viewer-value-forwarded']);
  assert.deepEqual(kinds(req('GET', '/r2/a.txt', null), rec('GET', `/ps-read/r/2/a.txt?${v2own.replace(/Expires=\d+/, 'Expires=1999999999')}`, {})), ['I3:viewer-expiry-signed'], 'a SigV2 URL that outlives the block\'s expires');
  const v4query = (expires: string): string =>
    `/ps-write/w/q/a.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${CREDS.accessKeyId}%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=${expires}&X-Amz-SignedHeaders=host&X-Amz-Security-Token=${encodeURIComponent(CREDS.sessionToken)}&X-Amz-Signature=${'0'.repeat(64)}`;
  assert.deepEqual(kinds(req('GET', '/wq/a.txt', null), rec('GET', v4query(String(PRESIGN_EXPIRES)), {})), []);
  assert.deepEqual(kinds(req('GET', '/wq/a.txt', null), rec('GET', v4query('604800'), {})), ['I3:viewer-expiry-signed'], 'the viewer\'s X-Amz-Expires signed');
  assert.deepEqual(kinds(req('PUT', '/wv/a.txt', null), rec('PUT', '/ps-write/w/v/a.txt', { authorization: `AWS ${CREDS.accessKeyId}:c2lnbmF0dXJl`, 'x-amz-security-token': CREDS.sessionToken })), []);
  const res = (raw: string): ViewerResponse => ({ status: 403, raw, head: raw.split('\r\n\r\n')[0]!, body: raw.split('\r\n\r\n')[1] ?? '', ended: 'complete' });
  assert.deepEqual(checkResponse(res(`HTTP/1.1 403 x\r\n\r\n<X>${hexBytes(CREDS.sessionToken)}</X>`), new Set(), 'c').map((x) => x.kind), ['I4:session-token-in-body(c)']);
  assert.deepEqual(checkResponse(res(`HTTP/1.1 307 x\r\nlocation: /?s=${encodeURIComponent(CREDS.secretAccessKey)}\r\n\r\n`), new Set(), 'c').map((x) => x.kind), ['I4:secret-key-in-header(c)']);
  assert.deepEqual(checkResponse(res(`HTTP/1.1 403 x\r\n\r\nab${'f'.repeat(64)}`), new Set(['f'.repeat(64)]), 'c').map((x) => x.kind), ['I4:signature-in-body(c)']);
  const elsewhere = await followRedirect(1, req('GET', '/rr/a.txt', null), { ...res('HTTP/1.1 307 x\r\nlocation: https://evil.example/ps-read/r/r/a.txt\r\n\r\n'), status: 307 });
  assert.equal(elsewhere.violation?.kind, 'I1:redirect-elsewhere');
  const presigned = { ...res(`HTTP/1.1 307 x\r\nlocation: http://s/k?X-Amz-Security-Token=${encodeURIComponent(CREDS.sessionToken)}&X-Amz-Signature=${'f'.repeat(64)}\r\n\r\n`), status: 307 };
  assert.deepEqual(checkResponse(presigned, new Set(['f'.repeat(64)]), 'c', { presignedRedirect: true }), [], 'a redirect block\'s presigned Location');
  assert.deepEqual(checkResponse(presigned, new Set(['f'.repeat(64)]), 'c').map((x) => x.kind), ['I4:session-token-in-header(c)', 'I4:signature-in-header(c)'], 'elsewhere it is a leak');
  assert.deepEqual(checkResponse({ ...res(`HTTP/1.1 307 x\r\nlocation: http://s/k?k=${encodeURIComponent(CREDS.secretAccessKey)}\r\n\r\n`), status: 307 }, new Set(), 'c', { presignedRedirect: true }).map((x) => x.kind), ['I4:secret-key-in-header(c)']);
  const v2sig = 'AbC+dEf/0123456789abcdefXYZ=';
  assert.deepEqual(checkResponse(res(`HTTP/1.1 403 x\r\n\r\n?Signature=${encodeURIComponent(v2sig)}`), new Set([v2sig]), 'c').map((x) => x.kind), ['I4:signature-in-body(c)'], 'a SigV2 signature, percent-encoded');
  assert.deepEqual(signaturesOf({ method: 'GET', url: '/b/k', headers: { authorization: `AWS ${CREDS.accessKeyId}:${v2sig}` }, auth: 'v2-header', status: 200, bytesIn: 0 }), [v2sig]);
  const ok = (body: string): ViewerResponse => ({ status: 200, raw: `HTTP/1.1 200 OK\r\nx-cache: HIT\r\n\r\n${body}`, head: 'HTTP/1.1 200 OK\r\nx-cache: HIT', body, ended: 'complete' });
  const cafe = Buffer.from('object w/c/café.txt\n', 'utf8').toString('latin1');
  assert.deepEqual(checkServedObject(req('GET', '/wc/caf%C3%A9.txt', null), ok(cafe.repeat(3))), [], 'its own object');
  assert.deepEqual(checkServedObject(req('GET', '/wc/a.txt', null), ok(cafe)).map((x) => x.kind), ['I1:other-object-served(HIT)']);
  assert.deepEqual(checkServedObject(req('GET', '/wc/a.txt', null), ok('outside every keyPrefix\n')).map((x) => x.kind), ['I1:other-object-served(HIT)']);
  assert.deepEqual(checkServedObject(req('GET', '/wc/a.txt', null), ok('written by a PUT')), [], 'a written object says nothing');
  // A block S3 clients list: its listing shows keys relative to keyPrefix, under its own name, and nothing of the store's.
  const listing = (inner: string): ViewerResponse => ok(`<?xml version="1.0"?>\n<ListBucketResult><Name>rl</Name>${inner}</ListBucketResult>`);
  assert.deepEqual(checkServedObject(req('GET', '/rl/', ['list-type=2']), listing('<Contents><Key>a.txt</Key></Contents><CommonPrefixes><Prefix>media/</Prefix></CommonPrefixes>')), []);
  for (const leak of ['<Contents><Key>r/h/a.txt</Key></Contents>', '<CommonPrefixes><Prefix>r%2Fh%2F</Prefix></CommonPrefixes>', '<Contents><Key>a</Key><Owner><ID>x</ID></Owner></Contents>']) {
    assert.deepEqual(checkServedObject(req('GET', '/rl', ['prefix=']), listing(leak)).map((x) => x.kind), ['I1:listing-outside-block'], leak);
  }
  assert.deepEqual(checkServedObject(req('GET', '/rl/', null), ok('<ListBucketResult><Name>ps-read</Name></ListBucketResult>')).map((x) => x.kind), ['I1:listing-outside-block']);
});

test('the MediaStore checks: the container only, no S3 operation parameter, folder listings under keyPrefix', () => {
  const req = (method: string, path: string, query: string[] | null): ViewerRequest => ({
    method, prefix: path.slice(0, 4), rest: [path.slice(4)], query, headers: [], host: null, body: { framing: 'none', te: 'chunked', bytes: [], aws: null }, fault: null,
  });
  const own = { host: 'localhost:2', authorization: `AWS4-HMAC-SHA256 Credential=${CREDS.accessKeyId}/20260101/us-east-1/mediastore/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`, 'x-amz-security-token': CREDS.sessionToken };
  const rec = (method: string, url: string, headers: Record<string, string> = own): RecordedRequest => ({ method, url, headers, auth: 'v4-header', status: 200, bytesIn: 0 });
  const kinds = (r: ViewerRequest, o: RecordedRequest, store: 's3' | 'mediastore' = 'mediastore'): string[] => checkOriginRequest(r, render(r, 1).toString('latin1'), o, [], store).map((x) => x.kind);

  assert.deepEqual(kinds(req('DELETE', '/wm/a.txt', null), rec('DELETE', '/w/m/a.txt')), [], 'a plain delete');
  assert.deepEqual(kinds(req('GET', '/wm/a.txt', ['cb=1']), rec('GET', '/w/m/a.txt')), [], 'a cache-buster dropped');
  // The bug: an abort of an upload reached MediaStore, which deleted the object.
  assert.deepEqual(kinds(req('DELETE', '/wm/a.txt', ['uploadId=u1']), rec('DELETE', '/w/m/a.txt?uploadId=u1')), ['I2:forwarded-param(uploadId on DELETE)']);
  assert.deepEqual(kinds(req('GET', '/wm/a.txt', ['versionId=v1']), rec('GET', '/w/m/a.txt?versionId=v1')), ['I2:forwarded-param(versionId on GET)']);
  assert.deepEqual(kinds(req('GET', '/wm/a.txt', null), rec('GET', '/w/m/a.txt'), 's3'), ['I1:other-store']);
  assert.deepEqual(kinds(req('GET', '/wh/a.txt', null), rec('GET', '/ps-write/w/h/a.txt')), ['I1:other-store']);
  assert.deepEqual(kinds(req('GET', '/wm/a.txt', null), rec('GET', '/w/h/a.txt')), ['I1:outside-key-prefix', 'I2:wrong-key']);
  const s3Scope = { ...own, authorization: own.authorization.replace('/mediastore/', '/s3/') };
  assert.deepEqual(kinds(req('GET', '/wm/a.txt', null), rec('GET', '/w/m/a.txt', s3Scope)), ['I3:viewer-credential-forwarded'], 'signed for s3, not mediastore');
  // Folder listings: ListItems of the folder the viewer named, paging from the viewer only.
  assert.deepEqual(kinds(req('GET', '/wm/media/', ['MaxResults=2']), rec('GET', '/?MaxResults=2&Path=w%2Fm%2Fmedia')), []);
  assert.deepEqual(kinds(req('GET', '/wm/', null), rec('GET', '/?Path=w%2Fm')), []);
  assert.deepEqual(kinds(req('GET', '/wm/', null), rec('GET', '/?Path=w')), ['I1:list-outside-key-prefix']);
  assert.deepEqual(kinds(req('GET', '/wm/media/', null), rec('GET', '/?Path=w%2Fm%2Fother')), ['I2:wrong-key']);
  assert.deepEqual(kinds(req('GET', '/wm/a.txt', null), rec('GET', '/?Path=w%2Fm%2Fa.txt')), ['I2:object-read-became-listing']);
  assert.deepEqual(kinds(req('GET', '/wm/', null), rec('GET', '/?MaxResults=1000&Path=w%2Fm')), ['I2:param-not-from-viewer']);
  // Review: a second Path outside keyPrefix, and a paging parameter twice.
  assert.deepEqual(kinds(req('GET', '/wm/', null), rec('GET', '/?Path=w%2Fm&Path=r')), ['I2:ambiguous-param', 'I1:list-outside-key-prefix']);
  assert.deepEqual(kinds(req('GET', '/wm/', ['MaxResults=1', 'MaxResults=2']), rec('GET', '/?MaxResults=1&MaxResults=2&Path=w%2Fm')), ['I2:ambiguous-param']);
  assert.deepEqual(kinds(req('DELETE', '/wm/', null), rec('GET', '/?Path=w%2Fm')), ['I2:method-changed']);
  assert.deepEqual(kinds(req('DELETE', '/wm/', null), rec('DELETE', '/?Path=w%2Fm')), ['I1:bucket-level-request', 'I1:refusable-key-forwarded', 'I2:forwarded-param(other on DELETE)']);
});
