// SigV4A key derivation (src/signing/v4a/key-derivation.ts) against aws-c-auth's fixed case
// (tests/key_derivation_tests.c, credentials_derive_ecc_key_fixed, commit 495329c: "values derived
// in synchronicity with Golang and IAM implementations"), the trial rule at its edges, and the cache.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { V4aKeyCache } from '../../../src/signing/v4a/key-cache.js';
import { deriveV4aKeyPair, deriveV4aPrivateScalar, fixedInput, scalarFromCandidate } from '../../../src/signing/v4a/key-derivation.js';
import { v4aSignature, verifyV4aSignature } from '../../../src/signing/v4a/signature.js';

const FIXED = { accessKeyId: 'AKISORANDOMAASORANDOM', secretAccessKey: 'q+jcrXGc+0zWN6uzclKVhvMmUsIfRPa4rlRandom' };

test('aws-c-auth fixed case: private scalar and public point', () => {
  assert.equal(deriveV4aPrivateScalar(FIXED.accessKeyId, FIXED.secretAccessKey).toString('hex'), '7fd3bd010c0d9c292141c2b77bfbde1042c92e6836fff749d1269ec890fca1bd');
  const pair = deriveV4aKeyPair(FIXED.accessKeyId, FIXED.secretAccessKey);
  assert.equal(pair.x.toString('hex'), '15d242ceebf8d8169fd6a8b5a746c41140414c3b07579038da06af89190fffcb');
  assert.equal(pair.y.toString('hex'), '0515242cedd82e94799482e4c0514b505afccf2c0c98d6a553bf539f424c5ec0');
  const jwk = pair.privateKey.export({ format: 'jwk' });
  assert.equal(jwk.crv, 'P-256');
  assert.equal(Buffer.from(jwk.d!, 'base64url').toString('hex'), '7fd3bd010c0d9c292141c2b77bfbde1042c92e6836fff749d1269ec890fca1bd');
});

test('the suite credentials give the suite public key (public-key.json)', () => {
  const pair = deriveV4aKeyPair('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
  assert.equal(pair.x.toString('hex'), 'b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1');
  assert.equal(pair.y.toString('hex'), '865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518');
});

test('fixed input: 0x00000001 || algorithm || 0x00 || access key id || counter byte || 0x00000100', () => {
  const b = fixedInput('AKID', 7);
  assert.equal(b.toString('hex'), `00000001${Buffer.from('AWS4-ECDSA-P256-SHA256').toString('hex')}00${Buffer.from('AKID').toString('hex')}0700000100`);
  assert.equal(b.length, 32 + 'AKID'.length);
});

test('a trial keeps k0 + 1 when k0 ≤ n − 2 and moves on otherwise', () => {
  const hex = (s: string): Buffer => Buffer.from(s, 'hex');
  const nMinus2 = 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc63254f';
  assert.equal(scalarFromCandidate(hex(nMinus2))?.toString('hex'), 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550'); // n − 1
  assert.equal(scalarFromCandidate(hex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550')), undefined); // n − 1 → next counter
  assert.equal(scalarFromCandidate(hex('ff'.repeat(32))), undefined);
  assert.equal(scalarFromCandidate(hex('00'.repeat(32)))?.toString('hex'), `${'00'.repeat(31)}01`);
  assert.equal(scalarFromCandidate(hex(`${'00'.repeat(31)}ff`))?.toString('hex'), `${'00'.repeat(30)}0100`); // the carry
});

test('a signature made with the derived key verifies with its public key, and only over its own string', () => {
  const pair = deriveV4aKeyPair(FIXED.accessKeyId, FIXED.secretAccessKey);
  const sig = v4aSignature(pair.privateKey, 'AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/s3/aws4_request\nabc');
  // DER: SEQUENCE (0x30), its length, then two INTEGERs of up to 33 bytes each: at most 72 bytes.
  const der = Buffer.from(sig, 'hex');
  assert.equal(der.toString('hex'), sig);
  assert.equal(der[0], 0x30);
  assert.equal(der[1], der.length - 2);
  assert.ok(der.length <= 72, `${der.length} bytes`);
  assert.ok(verifyV4aSignature(pair.publicKey, 'AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/s3/aws4_request\nabc', sig));
  assert.ok(!verifyV4aSignature(pair.publicKey, 'AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/s3/aws4_request\nabd', sig));
  assert.ok(!verifyV4aSignature(pair.publicKey, 'x', 'not hex'));
});

test('the cache derives once per credentials and keys entries by a fingerprint, not the secret', () => {
  const cache = new V4aKeyCache(2);
  const a = { ...FIXED };
  const first = cache.get(a, a.secretAccessKey);
  assert.equal(cache.get(a, a.secretAccessKey), first);
  assert.equal(cache.get({ ...FIXED }, FIXED.secretAccessKey), first, 'equal credentials in another object share the entry');
  cache.get({ accessKeyId: 'B', secretAccessKey: 'b' }, 'b');
  cache.get({ accessKeyId: 'C', secretAccessKey: 'c' }, 'c');
  assert.equal(cache.size, 2, 'bounded');
  assert.notEqual(cache.get({ ...FIXED }, FIXED.secretAccessKey), first, 'the oldest went first');
});
