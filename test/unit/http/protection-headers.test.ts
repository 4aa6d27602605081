import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asksForProtection, unforwardedProtection } from '../../../src/http/protection-headers.js';

test('encryption and object-lock headers ask for protection; ACLs, tags and the lock bypass do not', () => {
  for (const name of ['x-amz-server-side-encryption', 'x-amz-server-side-encryption-aws-kms-key-id', 'x-amz-server-side-encryption-context', 'x-amz-server-side-encryption-bucket-key-enabled', 'x-amz-server-side-encryption-customer-key', 'x-amz-object-lock-mode', 'x-amz-object-lock-retain-until-date', 'x-amz-object-lock-legal-hold']) {
    assert.ok(asksForProtection(name), name);
  }
  for (const name of ['x-amz-acl', 'x-amz-tagging', 'x-amz-bypass-governance-retention', 'x-amz-storage-class', 'x-amz-meta-x-amz-server-side-encryption']) assert.ok(!asksForProtection(name), name);
});

test('the first protection header the block neither forwards nor gives itself', () => {
  const h = { 'content-type': 'text/plain', 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-object-lock-mode': 'GOVERNANCE' };
  assert.equal(unforwardedProtection(h, [], false), 'x-amz-server-side-encryption');
  assert.equal(unforwardedProtection(h, ['x-amz-server-side-encryption'], false), 'x-amz-object-lock-mode');
  assert.equal(unforwardedProtection(h, [], true), 'x-amz-object-lock-mode', "the block's own encryption stands in for the viewer's, never for a lock");
  assert.equal(unforwardedProtection(h, ['x-amz-object-lock-mode'], true), undefined);
  assert.equal(unforwardedProtection({ 'x-amz-acl': 'public-read' }, [], false), undefined);
  assert.equal(unforwardedProtection({ 'x-amz-server-side-encryption': undefined }, [], false), undefined);
  assert.equal(unforwardedProtection({ 'x-amz-server-side-encryption': 'AES256' }, [], false), undefined, 'SSE-S3 is forwarded as asked');
  assert.equal(unforwardedProtection({ 'x-amz-server-side-encryption': 'aes256' }, [], false), 'x-amz-server-side-encryption', 'S3 knows AES256 only');
  assert.equal(unforwardedProtection({ 'x-amz-server-side-encryption': 'AES256', 'x-amz-server-side-encryption-bucket-key-enabled': 'true' }, [], false), 'x-amz-server-side-encryption-bucket-key-enabled');
});
