// The proxy's own refusals: JSON for browsers, curl and CDNs; S3's XML error shape for S3 clients
// (a request signed for AWS, or an SDK's x-amz-content-sha256), which parse nothing else.
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { sendError } from '../../../src/proxy/error-response.js';

test('JSON for everyone, XML for an S3 client', async (t) => {
  const server = createServer((_req, res) => sendError(res, 'OS_ERR_COPY_REFUSED', 'x-amz-copy-source names another object <&>', { requestId: 'rid-1', block: '/w/' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const { port } = server.address() as AddressInfo;
  const get = (path: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> =>
    new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', port, path, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      }).on('error', reject).end();
    });

  for (const headers of [{}, { 'user-agent': 'curl/8.5.0' }, { authorization: 'Bearer abc' }, { cookie: 'a=b' }] as Array<Record<string, string>>) {
    const r = await get('/w/k', headers);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8', JSON.stringify(headers));
    assert.deepEqual(JSON.parse(r.body), { error: 'OS_ERR_COPY_REFUSED', message: 'x-amz-copy-source names another object <&>', block: '/w/', requestId: 'rid-1' });
  }
  const s3Clients: Array<[string, Record<string, string>]> = [
    ['/w/k', { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' }],
    ['/w/k', { authorization: 'AWS AKIDEXAMPLE:c2lnbmF0dXJl' }],
    ['/w/k', { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }],
    ['/w/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00', {}],
  ];
  for (const [path, headers] of s3Clients) {
    const r = await get(path, headers);
    assert.equal(r.status, 400);
    assert.equal(r.headers['content-type'], 'application/xml', path);
    assert.equal(r.body, '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>OS_ERR_COPY_REFUSED</Code><Message>x-amz-copy-source names another object &#60;&#38;&#62;</Message><RequestId>rid-1</RequestId></Error>');
    assert.equal(r.headers['content-length'], String(Buffer.byteLength(r.body)));
  }
});
