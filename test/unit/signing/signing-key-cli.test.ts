// `origin-signer signing-key` (src/commands/signing-key.ts): the printed key is the SigV4 signing
// key kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request") —
// checked against @smithy/signature-v4's getSigningKey (what the AWS SDK derives), against the
// AWS General Reference key-derivation example, and against the published S3 / SigV4-suite
// vectors (the derived key, applied to a vector's string to sign, gives the published signature).
// `readSecret` takes the secret from an environment variable or the first line of standard input
// and refuses an empty one.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { Readable } from 'node:stream';
import { Sha256 } from '@aws-crypto/sha256-js';
import { getSigningKey } from '@smithy/signature-v4';
import fc from 'fast-check';
import { parse } from 'yaml';
import { readSecret, signingKeyYaml } from '../../../src/commands/signing-key.js';
import { loadVectors, type SigV4Vector } from '../../support/vectors.js';

interface Entry {
  accessKeyId?: string;
  signingKey: string;
  keyScope: string;
}

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const entryOf = (yaml: string): Entry => parse(yaml) as Entry;
const keyHex = (yaml: string): string => Buffer.from(entryOf(yaml).signingKey, 'base64').toString('hex');

async function smithyKeyHex(secret: string, date: string, region: string, service: string): Promise<string> {
  const key = await getSigningKey(Sha256, { accessKeyId: 'AKIDORACLE', secretAccessKey: secret }, date, region, service);
  return Buffer.from(key).toString('hex');
}

test('signingKeyYaml matches smithy getSigningKey for a few inputs', async () => {
  const cases = [
    { secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', date: '20261123', region: 'eu-central-1', service: 's3' },
    { secret: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', date: '20120215', region: 'us-east-1', service: 'iam' },
    { secret: 'pre/derived+SECRET=key0123456789abcdefXYZ', date: '20000101', region: 'us-west-2', service: 'mediastore' },
    { secret: 'x', date: '20991231', region: 'ap-southeast-2', service: 's3' },
  ];
  for (const c of cases) {
    const yaml = signingKeyYaml({ region: c.region, service: c.service, date: c.date, secretAccessKey: c.secret, now: () => NOW });
    assert.equal(keyHex(yaml), await smithyKeyHex(c.secret, c.date, c.region, c.service), JSON.stringify(c));
    assert.equal(entryOf(yaml).keyScope, `${c.date}/${c.region}/${c.service}/aws4_request`);
  }
});

test('signingKeyYaml agrees with smithy on generated secrets, dates, regions and services', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.string({ minLength: 1, maxLength: 60 }),
      fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
      fc.constantFrom('us-east-1', 'eu-central-1', 'cn-north-1', 'us-gov-west-1', 'il-central-1'),
      fc.constantFrom('s3', 'mediastore', 'execute-api'),
      async (secret, date, region, service) => {
        const yaml = signingKeyYaml({ region, service, secretAccessKey: secret, now: () => date.getTime() });
        const stamp = date.toISOString().slice(0, 10).replaceAll('-', '');
        assert.equal(entryOf(yaml).keyScope, `${stamp}/${region}/${service}/aws4_request`, 'the date defaults to the clock, in UTC');
        assert.equal(keyHex(yaml), await smithyKeyHex(secret, stamp, region, service));
      },
    ),
    { numRuns: 200 },
  );
});

test('the AWS General Reference key-derivation example', () => {
  // "Examples of how to derive a signing key for Signature Version 4": secret
  // wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam.
  const yaml = signingKeyYaml({ region: 'us-east-1', service: 'iam', date: '20120215', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', now: () => NOW });
  assert.equal(keyHex(yaml), 'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
});

test('the derived key signs the published vectors: HMAC(key, string to sign) is the published signature', () => {
  const vectors = [...loadVectors<SigV4Vector>('s3-sigv4-docs.json'), ...loadVectors<SigV4Vector>('sigv4-suite.json')];
  let checked = 0;
  for (const v of vectors) {
    if (v.kind !== 'sigv4' || !v.expected.string_to_sign || !v.expected.signature) continue;
    const s = v.signing;
    const yaml = signingKeyYaml({ region: s.region, service: s.service, date: s.amz_date.slice(0, 8), secretAccessKey: s.secret_access_key, accessKeyId: s.access_key_id, now: () => NOW });
    const entry = entryOf(yaml);
    assert.equal(entry.accessKeyId, s.access_key_id);
    assert.ok(v.expected.string_to_sign.split('\n')[2] === entry.keyScope, `${v.id}: the scope is the vector's`);
    const signature = createHmac('sha256', Buffer.from(entry.signingKey, 'base64')).update(v.expected.string_to_sign, 'utf8').digest('hex');
    assert.equal(signature, v.expected.signature, v.id);
    checked++;
  }
  assert.ok(checked >= 5, `checked ${checked} vectors`);
});

test('signingKeyYaml output: a comment naming the date, the scope, accessKeyId only when given; bad inputs refused', () => {
  const yaml = signingKeyYaml({ region: 'eu-central-1', service: 's3', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret', now: () => Date.UTC(2026, 10, 23, 23, 59, 59) });
  assert.match(yaml.split('\n')[0]!, /^# .*20261123.*eu-central-1\/s3/);
  assert.deepEqual(Object.keys(entryOf(yaml)), ['accessKeyId', 'signingKey', 'keyScope']);
  assert.equal(entryOf(yaml).keyScope, '20261123/eu-central-1/s3/aws4_request');
  assert.ok(!yaml.includes('secret\n') && !/secret(Access)?Key\s*:/i.test(yaml), 'the secret is not printed');
  const noId = entryOf(signingKeyYaml({ region: 'eu-central-1', service: 's3', secretAccessKey: 'secret', now: () => NOW }));
  assert.equal(noId.accessKeyId, undefined);

  const base = { region: 'us-east-1', service: 's3', secretAccessKey: 'secret', now: () => NOW };
  assert.throws(() => signingKeyYaml({ ...base, date: '2026-11-23' }), /--date must be YYYYMMDD/);
  assert.throws(() => signingKeyYaml({ ...base, date: '2026112' }), /--date/);
  assert.throws(() => signingKeyYaml({ ...base, date: '20261399' }), /--date must be YYYYMMDD \(a calendar day\)/, 'eight digits that are no day');
  assert.throws(() => signingKeyYaml({ ...base, date: '20250229' }), /calendar day/, 'not a leap year');
  assert.throws(() => signingKeyYaml({ ...base, region: 'EU_CENTRAL' }), /--region/);
  assert.throws(() => signingKeyYaml({ ...base, region: 'us-east-1/x' }), /--region/);
  assert.throws(() => signingKeyYaml({ ...base, service: 'S3' }), /--service/);
});

test('readSecret: from the environment variable named', async (t) => {
  const name = 'ORIGIN_SIGNER_UNIT_SECRET';
  t.after(() => delete process.env[name]);
  process.env[name] = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  // The environment wins; standard input is not read.
  const stdin = Readable.from(['from stdin\n']);
  assert.equal(await readSecret(name, stdin), 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');

  process.env[name] = '';
  await assert.rejects(readSecret(name, Readable.from([])), new RegExp(`${name} is empty or not set`));
  delete process.env[name];
  await assert.rejects(readSecret(name, Readable.from(['not used\n'])), new RegExp(name));
});

test('readSecret: the first line of standard input; empty refused', async () => {
  assert.equal(await readSecret(undefined, Readable.from(['s3cr3t/+=\nsecond line\n'])), 's3cr3t/+=');
  assert.equal(await readSecret(undefined, Readable.from(['s3cr3t\r\n'])), 's3cr3t', 'CRLF');
  assert.equal(await readSecret(undefined, Readable.from(['s3c', 'r3t', '\nrest'])), 's3cr3t', 'split over chunks');
  assert.equal(await readSecret(undefined, Readable.from([Buffer.from('no newline at all')])), 'no newline at all');
  await assert.rejects(readSecret(undefined, Readable.from([])), /no secret access key on standard input/);
  await assert.rejects(readSecret(undefined, Readable.from(['\n'])), /no secret access key/);
  await assert.rejects(readSecret(undefined, Readable.from(['   \nsecret on the second line\n'])), /no secret access key/, 'only the first line counts');
});
