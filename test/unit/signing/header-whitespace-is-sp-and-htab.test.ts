// SigV4 and SigV2 trim and collapse only SP and HTAB (RFC 9110 OWS) and unfold CR LF; a 0xA0 or
// another Unicode space is part of the value. Trimming it (JavaScript's trim()/\s) signed a value
// other than the one sent (issue: one odd byte in a Range header).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalAmzHeaders } from '../../../src/signing/v2/amz-headers.js';
import { canonicalHeaders } from '../../../src/signing/v4/canonical-headers.js';

test('SigV4 canonical headers keep 0xA0 and other Unicode spaces, trim SP and HTAB', () => {
  const { canonical } = canonicalHeaders([
    ['Range', 'bytes=0-4\u00a0'],
    ['X-A', ' \t a \t  b\t '],
    ['X-B', '\u2003c\u00a0 \u00a0d'],
  ]);
  assert.equal(canonical, 'range:bytes=0-4\u00a0\nx-a:a b\nx-b:\u2003c\u00a0 \u00a0d\n');
});

test('SigV2 x-amz headers keep 0xA0, unfold lines and trim SP and HTAB', () => {
  assert.equal(canonicalAmzHeaders([['x-amz-meta-a', ' v\u00a0'], ['x-amz-meta-b', 'one\r\n  two ']]), 'x-amz-meta-a:v\u00a0\nx-amz-meta-b:one two\n');
});
