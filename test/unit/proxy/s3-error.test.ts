// A store's error body is read with an XML parser and only its Code (and a few plain fields a
// viewer can act on) reach the viewer, in a body the proxy writes itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readS3Error, viewerErrorFor, viewerErrorXml } from '../../../src/proxy/s3-error.js';

const MISMATCH = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message><AWSAccessKeyId>ASIAEXAMPLE</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256
20261206T000000Z</StringToSign><SignatureProvided>abc123</SignatureProvided><CanonicalRequest>GET
/k

host:b.example
x-amz-security-token:SECRET&amp;TOKEN
</CanonicalRequest><RequestId>R</RequestId></Error>`;

test('reads Code, CanonicalRequest and StringToSign, entities decoded once', () => {
  const e = readS3Error(MISMATCH);
  assert.equal(e.code, 'SignatureDoesNotMatch');
  assert.match(e.canonicalRequest ?? '', /x-amz-security-token:SECRET&TOKEN/);
  assert.match(e.stringToSign ?? '', /^AWS4-HMAC-SHA256/);
  assert.equal(e.details, undefined);
  assert.deepEqual(readS3Error('<html><body>502 Bad Gateway</body></html>'), {});
  assert.deepEqual(readS3Error('{"__type":"ObjectNotFoundException"}'), {});
  assert.deepEqual(readS3Error('<Error><Code>NoSuch'), {});
});

test('only plain-shaped detail fields are kept', () => {
  const e = readS3Error('<Error><Code>InvalidRange</Code><ActualObjectSize>36</ActualObjectSize><RangeRequested>bytes=46-</RangeRequested><Condition>If-Match</Condition><Key>secret/prefix/k</Key></Error>');
  assert.deepEqual(e.details, [['ActualObjectSize', '36'], ['RangeRequested', 'bytes=46-'], ['Condition', 'If-Match']]);
  assert.equal(readS3Error('<Error><ActualObjectSize>36 x-amz-security-token</ActualObjectSize></Error>').details, undefined);
});

test('the viewer is told the store code with S3 wording, never the store Message; odd codes fall back by status', () => {
  assert.deepEqual(viewerErrorFor(404, 'NoSuchKey'), { code: 'NoSuchKey', message: 'The specified key does not exist.' });
  assert.equal(viewerErrorFor(403, 'SignatureDoesNotMatch').code, 'SignatureDoesNotMatch');
  assert.deepEqual(viewerErrorFor(403, '<script>alert(1)</script>'), { code: 'AccessDenied', message: 'Access Denied' });
  assert.deepEqual(viewerErrorFor(502, undefined), { code: 'InternalError', message: 'The store had an error. Please try again.' });
  assert.equal(viewerErrorFor(418, 'Teapot').code, 'Teapot');
});

test('the viewer body is well-formed and escapes what it carries', () => {
  const xml = viewerErrorXml('NoSuchKey', 'a <b> & "c"', 'id-1', [['ActualObjectSize', '36']]);
  assert.equal(xml, '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>a &#60;b&#62; &#38; &#34;c&#34;</Message><ActualObjectSize>36</ActualObjectSize><RequestId>id-1</RequestId></Error>');
  assert.equal(readS3Error(xml).code, 'NoSuchKey');
});
