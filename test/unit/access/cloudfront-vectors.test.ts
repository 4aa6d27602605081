// Every CloudFront vector (test/fixtures/vectors/cloudfront-signed-urls.json): the URL-safe base64
// examples both ways; our signer reproduces each published RSA policy, signature and parameter set
// byte for byte (or, where botocore orders the custom conditions differently from our documented
// DateLessThan, DateGreaterThan, IpAddress, the same conditions — and the published signature still
// verifies); verifySigned accepts every published signature before expiry and refuses each way it
// can fail, with an injected clock (most vectors expired on 2026-01-01); every error case is refused
// by signCloudFront and by the `sign-url` CLI (exit 2, a message naming the problem).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { describe, test } from 'node:test';
import { fromCloudFrontBase64, toCloudFrontBase64 } from '../../../src/access/cloudfront-base64.js';
import { loadPrivateKey, signCloudFront, signedUrl, type SignOptions } from '../../../src/access/sign.js';
import { verifySigned, type SignedParams } from '../../../src/access/signed-request.js';
import { CF, cfDecode, flipChar, keyPem, privateKeyOf, publicKeyOf, queryPairs, tempDir, writeFile, type CfErrorCase, type CfVector } from '../../support/access-fixtures.js';
import { binPath } from '../../support/paths.js';

/** Addresses inside / outside each AWS:SourceIp used by the vectors. */
const INSIDE: Record<string, string> = { '192.168.0.0/24': '192.168.0.77', '10.0.0.0/8': '10.20.30.40', '203.0.113.7': '203.0.113.7' };
const OUTSIDE = '198.51.100.9';

/** botocore writes DateLessThan, IpAddress, DateGreaterThan; we (and aws-cli) write DateGreaterThan before IpAddress. */
const otherOrder = (v: CfVector): boolean => v.id.startsWith('botocore/') && v.input.date_greater_than !== undefined && v.input.ip_address !== undefined;

function signOptions(v: CfVector, privateKey: KeyObject = privateKeyOf(v.input.private_key)): SignOptions {
  const i = v.input;
  return {
    url: i.resource,
    keyPairId: i.key_pair_id,
    privateKey,
    expires: i.date_less_than,
    hashAlgorithm: i.hash_algorithm,
    ...(i.date_greater_than !== undefined ? { notBefore: i.date_greater_than } : {}),
    ...(i.ip_address !== undefined ? { ipRange: i.ip_address } : {}),
  };
}

/** The published CloudFront parameters of a vector (from its URL, query parameters or cookies). */
function publishedParams(v: CfVector, signature: string): SignedParams {
  let named: Record<string, string>;
  if (v.expected.cookies) {
    named = Object.fromEntries(Object.entries(v.expected.cookies).map(([k, val]) => [k.replace(/^CloudFront-/, ''), val]));
  } else if (v.expected.url) {
    named = Object.fromEntries(queryPairs(v.expected.url));
  } else {
    named = { ...v.expected.query_params };
    if (v.policy_type === 'custom') named.Policy = v.expected.policy_b64!;
  }
  named.Signature ??= signature;
  return {
    signature: named.Signature,
    keyPairId: named['Key-Pair-Id']!,
    ...(named.Expires !== undefined ? { expires: named.Expires } : {}),
    ...(named.Policy !== undefined ? { policy: named.Policy } : {}),
    ...(named['Hash-Algorithm'] !== undefined ? { hashAlgorithm: named['Hash-Algorithm'] } : {}),
  };
}

/** A moment the vector's signature is valid at. */
const validAt = (v: CfVector): number => (v.input.date_greater_than !== undefined ? v.input.date_greater_than + 1 : v.input.date_less_than - 3600);
const clientIpOf = (v: CfVector): string => (v.input.ip_address !== undefined ? INSIDE[v.input.ip_address]! : OUTSIDE);

describe('CloudFront URL-safe base64 examples', () => {
  for (const ex of CF.url_safe_base64_examples) {
    test(`${ex.id}: ${ex.bytes_hex} ⇄ ${ex.cloudfront_base64}`, () => {
      const bytes = Buffer.from(ex.bytes_hex, 'hex');
      assert.equal(toCloudFrontBase64(bytes), ex.cloudfront_base64);
      assert.deepEqual(fromCloudFrontBase64(ex.cloudfront_base64), bytes);
      assert.deepEqual(fromCloudFrontBase64(ex.standard_base64), bytes, 'standard base64 is read too');
    });
  }
});

describe('signCloudFront reproduces the published RSA vectors', () => {
  const rsa = CF.vectors.filter((v) => v.expected.signature !== null);
  test('the file has the RSA vectors we expect', () => assert.equal(rsa.length, 23));
  for (const v of rsa) {
    test(v.id, () => {
      const s = signCloudFront(signOptions(v));
      assert.equal(s.canned, v.policy_type === 'canned', 'canned vs custom');
      const ours = Object.fromEntries(s.params);
      if (otherOrder(v)) {
        // Same conditions, our documented order: the bytes (so the signature) differ from botocore's.
        assert.notEqual(s.policy, v.expected.policy);
        assert.deepEqual(JSON.parse(s.policy), JSON.parse(v.expected.policy));
        assert.match(s.policy, /"DateLessThan":\{[^}]*\},"DateGreaterThan":\{[^}]*\},"IpAddress":/);
        // Handing botocore's exact policy to the signer (--policy) reproduces its signature.
        const exact = signCloudFront({ url: v.input.url, keyPairId: v.input.key_pair_id, privateKey: privateKeyOf(v.input.private_key), policy: v.expected.policy });
        assert.equal(exact.policy, v.expected.policy);
        assert.equal(exact.signature, v.expected.signature);
        assert.equal(Object.fromEntries(exact.params).Policy, v.expected.policy_b64);
        return;
      }
      assert.equal(s.policy, v.expected.policy, 'policy bytes');
      assert.equal(s.signature, v.expected.signature, 'signature');
      if (v.policy_type === 'canned') {
        assert.equal(ours.Expires, String(v.input.date_less_than));
        assert.equal(ours.Policy, undefined);
      } else {
        assert.equal(ours.Policy, v.expected.policy_b64);
        assert.equal(ours.Expires, undefined);
      }
      assert.equal(ours.Signature, v.expected.signature);
      assert.equal(ours['Key-Pair-Id'], v.input.key_pair_id);
      assert.equal(ours['Hash-Algorithm'], v.input.hash_algorithm === 'SHA256' ? 'SHA256' : undefined);
      if (v.expected.cookies) {
        const cookies = Object.fromEntries(s.params.map(([k, val]) => [`CloudFront-${k}`, val]));
        assert.deepEqual(cookies, { ...v.expected.cookies, 'CloudFront-Signature': v.expected.signature });
      }
      if (v.expected.query_params) {
        const url = signedUrl(v.input.url, s);
        const q = Object.fromEntries(queryPairs(url));
        for (const [k, val] of Object.entries(v.expected.query_params)) assert.equal(q[k], val, `query ${k}`);
        assert.equal(q.Signature, v.expected.signature);
      }
      if (v.expected.url) assert.equal(signedUrl(v.input.url, s), v.expected.url, 'the whole signed URL, byte for byte');
    });
  }
});

describe('verifySigned on every vector', () => {
  for (const v of CF.vectors) {
    test(v.id, () => {
      const i = v.input;
      const keys = new Map([[i.key_pair_id, publicKeyOf(i.public_key)]]);
      // ECDSA signatures are randomized: sign with the vector's private key, verify with its public key.
      const signature = v.expected.signature ?? signCloudFront(signOptions(v)).signature;
      if (v.expected.signature === null) {
        assert.ok(verify('sha256', Buffer.from(v.expected.policy), keys.get(i.key_pair_id)!, cfDecode(signature)), 'our ECDSA signature checks out with node:crypto');
      }
      const params = publishedParams(v, signature);
      if (v.expected.url) {
        // What the viewer asked for: the published URL without CloudFront's parameters.
        const plain = queryPairs(v.expected.url).filter(([k]) => !['Expires', 'Signature', 'Key-Pair-Id', 'Policy', 'Hash-Algorithm'].includes(k));
        assert.equal(`${v.expected.url.split('?')[0]}${plain.length ? `?${plain.map(([k, val]) => `${k}=${val}`).join('&')}` : ''}`, i.url);
      }
      if (v.policy_type === 'custom') assert.equal(cfDecode(params.policy!).toString('utf8'), v.expected.policy);
      const ctx = { url: i.url, clientIp: clientIpOf(v), now: validAt(v), keys };
      if (i.ip_address !== undefined) assert.ok(INSIDE[i.ip_address], `an address inside ${i.ip_address}`);

      assert.equal(verifySigned(params, ctx), undefined, 'the published signature is accepted before expiry');
      assert.equal(verifySigned(params, { ...ctx, now: i.date_less_than - 1 }), undefined, 'still valid one second before DateLessThan');
      assert.equal(verifySigned(params, { ...ctx, now: i.date_less_than }), 'expired', 'refused at the expiry itself');
      assert.equal(verifySigned(params, { ...ctx, now: i.date_less_than + 86400 }), 'expired');
      if (i.date_greater_than !== undefined) {
        assert.equal(verifySigned(params, { ...ctx, now: i.date_greater_than - 1 }), 'not yet valid');
      }
      if (i.ip_address !== undefined) {
        assert.equal(verifySigned(params, { ...ctx, clientIp: OUTSIDE }), 'ip not allowed');
        assert.equal(verifySigned(params, { ...ctx, clientIp: '2001:db8::1' }), 'ip not allowed', 'an IPv6 viewer is not in an IPv4 range');
      }
      // Another URL: a canned policy is rebuilt from the URL (so the signature fails); a custom
      // policy carries its Resource, which does not match.
      const elsewhere = 'https://other.example.net/not/this.jpg';
      assert.equal(verifySigned(params, { ...ctx, url: elsewhere }), v.policy_type === 'canned' ? 'bad signature' : 'wrong resource');
      assert.equal(verifySigned({ ...params, signature: flipChar(params.signature!) }, ctx), 'bad signature', 'one character of the signature changed');
      assert.equal(verifySigned({ ...params, keyPairId: 'KUNKNOWNKEYID' }, ctx), 'unknown key pair');
      if (v.policy_type === 'custom') {
        assert.equal(verifySigned({ ...params, policy: flipChar(params.policy!, 30) }, ctx), 'bad signature', 'one character of the policy changed');
      } else {
        assert.equal(verifySigned({ ...params, expires: String(i.date_less_than + 3600) }, ctx), 'bad signature', 'a later Expires than signed');
      }
      if (i.hash_algorithm === 'SHA256') {
        const withoutHash: SignedParams = { ...params };
        delete (withoutHash as { hashAlgorithm?: string }).hashAlgorithm;
        assert.equal(verifySigned(withoutHash, ctx), 'bad signature', 'a SHA-256 signature checked as SHA-1');
      }
      if (v.expected.signature === null) {
        assert.equal(verifySigned({ ...params, hashAlgorithm: 'SHA1' }, ctx), 'bad signature', 'ECDSA with Hash-Algorithm=SHA1');
      }
      assert.equal(verifySigned({ ...params, signature: undefined }, ctx), 'missing signature');
    });
  }
});

/** Our words for each published error case: every pattern must be in the message. */
const ERROR_WORDS: Record<string, RegExp[]> = {
  'aws-cli/url/ecdsa-canned-policy-url-sha1-reject': [/ECDSA/, /SHA-?256/],
  'aws-cli/url/error-missing-expiration': [/expir/i, /required/, /--expires/],
  'aws-cli/url/error-active-after-expiration': [/active/, /before/, /expiration/],
  'aws-cli/url/error-unsupported-key-type': [/dsa/i, /RSA/, /ECDSA/],
  'aws-cli/url/json-injection-resource-url-reject': [/URL/, /resource/, /quotes/],
  'aws-cli/url/json-injection-ip-range-reject': [/--ip/, /quotes/],
};

const KEY_FILES: Record<string, string> = { 'test-rsa-key.pem': 'aws-cli-test-rsa-1024', 'test-ecdsa-key.pem': 'aws-cli-test-ecdsa-p256' };
const dsaPem = (): string => generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('every error case is refused', () => {
  test('the file has the error cases we expect', () => assert.deepEqual(CF.error_cases.map((c) => c.id).sort(), Object.keys(ERROR_WORDS).sort()));
  const dsa = dsaPem();
  const pemOf = (c: CfErrorCase): string => (c.input.privateKeyFile === 'test-dsa-key.pem' ? dsa : keyPem(KEY_FILES[c.input.privateKeyFile]!));

  for (const c of CF.error_cases) {
    const words = ERROR_WORDS[c.id]!;
    const i = c.input;
    test(`${c.id}: signCloudFront (with loadPrivateKey) refuses`, () => {
      assert.throws(
        () =>
          signCloudFront({
            url: i.resource,
            keyPairId: i.keyPairId,
            privateKey: loadPrivateKey(pemOf(c)),
            ...(i.expirationDate !== undefined ? { expires: i.expirationDate } : {}),
            ...(i.activeDate !== undefined ? { notBefore: i.activeDate } : {}),
            ...(i.ipRange !== undefined ? { ipRange: i.ipRange } : {}),
            ...(i.hashAlgorithm !== undefined ? { hashAlgorithm: i.hashAlgorithm } : {}),
          }),
        (err: Error) => words.every((w) => w.test(err.message)) || assert.fail(`"${err.message}" should match ${words.join(' ')}`),
      );
    });
    test(`${c.id}: the sign-url CLI exits 2 naming the problem`, (t) => {
      const dir = tempDir(t);
      const args = ['sign-url', '--key-pair-id', i.keyPairId, '--private-key', writeFile(dir, 'key.pem', pemOf(c)), '--url', i.resource];
      if (i.expirationDate !== undefined) args.push('--expires-at', String(i.expirationDate));
      if (i.activeDate !== undefined) args.push('--not-before', String(i.activeDate));
      if (i.ipRange !== undefined) args.push('--ip', i.ipRange);
      if (i.hashAlgorithm !== undefined) args.push('--hash-algorithm', i.hashAlgorithm);
      const r = spawnSync(binPath, args, { encoding: 'utf8', timeout: 20_000 });
      assert.equal(r.status, 2, `exit code; stderr: ${r.stderr}`);
      assert.equal(r.stdout, '', 'nothing signed is printed');
      for (const w of words) assert.match(r.stderr, w);
      assert.doesNotMatch(r.stderr, /unexpected error|\n\s+at /, 'a message, not a stack trace');
    });
  }

  // Like the json-injection case for --ip: an IP range CloudFront would not take is refused
  // before anything is signed (the proxy reads "1.2.3.4/" as /0, see policy.test).
  test('sign-url refuses a malformed --ip', {}, () => {
    for (const ipRange of ['1.2.3.4/', '10.0.0.0/33', '10.0.0.0/abc', '10.0.0.0/8/9']) {
      assert.throws(
        () => signCloudFront({ url: 'https://d111111abcdef8.cloudfront.net/image.jpg', keyPairId: 'K1TESTKEY', privateKey: privateKeyOf('aws-cli-test-rsa-1024'), expires: 1767290400, ipRange }),
        /--ip/,
        ipRange,
      );
    }
  });

  // signCloudFront's own guard: it only refuses ECDSA+SHA-1 itself, and relies on loadPrivateKey
  // to keep other key types out. A DSA KeyObject handed to it directly is signed with DSA.
  test('signCloudFront refuses a DSA KeyObject by itself', {}, () => {
    const { privateKey } = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 });
    assert.throws(() => signCloudFront({ url: 'https://d111111abcdef8.cloudfront.net/video.mp4', keyPairId: 'K1TESTKEY', privateKey, expires: 1767290400 }), /RSA|ECDSA/);
  });
});
