// assume-role: the SDK's fromTemporaryCredentials calls AssumeRole signed with the source set's
// credentials, and the fake STS checks that signature with an independent oracle
// (@smithy/signature-v4 recomputing it for the caller's keys). Each fetch signs with the source's
// credentials of that moment, so a rotated source signs the next AssumeRole.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CredentialProvider } from '../../../src/credentials/provider.js';
import { StaticCredentialProvider } from '../../../src/credentials/provider.js';
import { assumeRoleFetcher } from '../../../src/credentials/sources/assume-role.js';
import { sdkLogger } from '../../../src/credentials/sources/sdk-logger.js';
import { createLogger } from '../../../src/log/logger.js';
import { startAssumeRoleSts, useCleanAwsEnv, type StaticKeys } from '../../support/creds-helpers.js';
import { Issuer } from '../../support/fake-aws.js';

const SOURCE: StaticKeys = { accessKeyId: 'AKIAASSUMEUNIT0001', secretAccessKey: 'assume/unit+SECRET/0123456789abcdef' };
const SOURCE_WITH_TOKEN: StaticKeys = { accessKeyId: 'ASIAASSUMEUNIT0002', secretAccessKey: 'assume/unit+SECRET/fedcba9876543210', sessionToken: 'source-session/token+==' };

function fetcher(url: string, source: CredentialProvider) {
  return assumeRoleFetcher({
    roleArn: 'arn:aws:iam::123456789012:role/vod-reader',
    sessionName: 'origin-signer',
    durationSeconds: 900,
    externalId: 'cdn origin/ä+',
    source,
    stsEndpoint: url,
    timeoutMs: 2000,
    logger: sdkLogger(createLogger('silent'), 'unit'),
  });
}

for (const source of [SOURCE, SOURCE_WITH_TOKEN]) {
  test(`AssumeRole signed with the source set is accepted by the oracle (source ${source.sessionToken ? 'with' : 'without'} a session token)`, async (t) => {
    useCleanAwsEnv(t);
    const issuer = new Issuer('ASIAUNITROLE', 15 * 60_000);
    const sts = await startAssumeRoleSts(t, issuer, { callers: () => [source] });
    const c = await fetcher(sts.url, new StaticCredentialProvider('src', source))();
    assert.equal(c.accessKeyId, issuer.issued[0]!.accessKeyId);
    assert.equal(c.secretAccessKey, issuer.issued[0]!.secretAccessKey);
    assert.equal(c.sessionToken, issuer.issued[0]!.sessionToken);
    assert.equal(c.expiration?.toISOString(), issuer.issued[0]!.expiration.toISOString());
    const call = sts.accepted[0]!;
    assert.equal(call.CallerAccessKeyId, source.accessKeyId);
    assert.equal(call.RoleArn, 'arn:aws:iam::123456789012:role/vod-reader');
    assert.equal(call.RoleSessionName, 'origin-signer');
    assert.equal(call.ExternalId, 'cdn origin/ä+');
    assert.equal(call.DurationSeconds, '900');
  });
}

test('AssumeRole signed with the wrong secret is refused by the oracle (the check can fail)', async (t) => {
  useCleanAwsEnv(t);
  const sts = await startAssumeRoleSts(t, new Issuer('ASIAUNITROLE', 15 * 60_000), { callers: () => [SOURCE] });
  const wrong = new StaticCredentialProvider('src', { ...SOURCE, secretAccessKey: 'not-the-secret' });
  await assert.rejects(fetcher(sts.url, wrong)(), /^Error: STS AssumeRole: SignatureDoesNotMatch: signature does not match \(HTTP 403\)$/);
  assert.equal(sts.accepted.length, 0);
});

test('each fetch signs with the source credentials of that moment (no client memoizing the first ones)', async (t) => {
  useCleanAwsEnv(t);
  const second: StaticKeys = { accessKeyId: 'AKIAASSUMEUNIT0003', secretAccessKey: 'assume/unit+SECRET/rotated0123456789' };
  let current = SOURCE;
  const rotating: CredentialProvider = Object.assign(new StaticCredentialProvider('src', SOURCE), { get: () => Promise.resolve(current) });
  // STS knows only the current key: a request signed with the old one is refused.
  const sts = await startAssumeRoleSts(t, new Issuer('ASIAUNITROLE', 15 * 60_000), { callers: () => [current] });
  const fetch = fetcher(sts.url, rotating);
  await fetch();
  current = second;
  await fetch();
  assert.deepEqual(sts.accepted.map((a) => a.CallerAccessKeyId), [SOURCE.accessKeyId, second.accessKeyId]);
});

test('a pre-derived source key cannot sign STS: said before any call', async (t) => {
  const sts = await startAssumeRoleSts(t, new Issuer('ASIAUNITROLE', 15 * 60_000), { callers: () => [SOURCE] });
  const preDerived = new StaticCredentialProvider('edge-key', { accessKeyId: 'AKIAPREDERIVED0001', signingKey: Buffer.alloc(32), keyScope: '20261123/us-east-1/s3/aws4_request' });
  await assert.rejects(fetcher(sts.url, preDerived)(), /sourceCredentials "edge-key" is a pre-derived signing key/);
  assert.equal(sts.calls.length, 0);
});
