// Regression (hunt, 2026-12-07): a custom policy whose conditions CloudFront could not read was
// accepted with them ignored — `"AWS:SourceIP"` or `"IPAddress"` (misspelt) as if no address
// were required, a `DateGreaterThan` given as a string or a fraction as if there were no start.
// Such a policy is now refused as a whole ("bad signature"): a signed condition fails closed.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { signCloudFront } from '../../../src/access/sign.js';
import { verifySigned } from '../../../src/access/signed-request.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const NOW = 1_796_659_000;
const URL = 'https://cdn.example.com/p/a.mp4';
const LATER = `"DateLessThan":{"AWS:EpochTime":${NOW + 3600}}`;

function verdict(condition: string, statementExtra = '', docExtra = ''): string {
  const policy = `{"Statement":[{"Resource":"${URL}","Condition":{${condition}}${statementExtra}}]${docExtra}}`;
  const p = Object.fromEntries(signCloudFront({ url: URL, keyPairId: 'K', privateKey, policy }).params);
  return verifySigned({ signature: p['Signature']!, keyPairId: 'K', policy: p['Policy']! }, { url: URL, clientIp: '203.0.113.9', now: NOW, keys: new Map([['K', publicKey]]) }) ?? 'accepted';
}

test('well-formed conditions are judged', () => {
  assert.equal(verdict(LATER), 'accepted');
  assert.equal(verdict(`${LATER},"IpAddress":{"AWS:SourceIp":"192.0.2.0/24"}`), 'ip not allowed');
  assert.equal(verdict(`${LATER},"IpAddress":{"AWS:SourceIp":"203.0.113.0/24"}`), 'accepted');
  assert.equal(verdict(`${LATER},"DateGreaterThan":{"AWS:EpochTime":${NOW + 60}}`), 'not yet valid');
});

test('a condition CloudFront could not read refuses the policy, never loosens it', () => {
  for (const c of [
    `${LATER},"IpAddress":{"AWS:SourceIP":"192.0.2.0/24"}`,
    `${LATER},"IPAddress":{"AWS:SourceIp":"192.0.2.0/24"}`,
    `${LATER},"IpAddress":{"AWS:SourceIp":["192.0.2.0/24"]}`,
    `${LATER},"IpAddress":"192.0.2.0/24"`,
    `${LATER},"DateGreaterThan":{"AWS:EpochTime":"${NOW + 60}"}`,
    `${LATER},"DateGreaterThan":{"AWS:EpochTime":${NOW + 60}.5}`,
    `${LATER},"DateGreaterThan":{"AWS:EpochTim":${NOW + 60}}`,
    `"DateLessThan":{"AWS:EpochTime":${NOW + 3600},"AWS:SourceIp":"192.0.2.0/24"}`,
    `${LATER},"StringLike":{"aws:Referer":"https://example.com/*"}`,
  ]) assert.equal(verdict(c), 'bad signature', c);
  assert.equal(verdict(LATER, ',"Effect":"Deny"'), 'bad signature', 'an unknown statement key');
  assert.equal(verdict(LATER, '', ',"Version":"2012-10-17"'), 'bad signature', 'an unknown document key');
});
