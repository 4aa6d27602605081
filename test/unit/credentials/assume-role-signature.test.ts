// assume-role signs STS AssumeRole with the project's own SigV4 signer; an independent oracle
// (@smithy/signature-v4) must accept it. Also pins down the shared fake STS in fake-aws.ts, whose
// oracle runs smithy with its default `applyChecksum: true` and so signs an x-amz-content-sha256
// header the request never carried.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StaticCredentialProvider } from '../../../src/credentials/provider.js';
import { assumeRoleFetcher } from '../../../src/credentials/sources/assume-role.js';
import { startAssumeRoleSts } from '../../support/creds-helpers.js';
import { Issuer, startFakeSts } from '../../support/fake-aws.js';

const SOURCE: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = { accessKeyId: 'AKIAASSUMEUNIT0001', secretAccessKey: 'assume/unit+SECRET/0123456789abcdef' };
const SOURCE_WITH_TOKEN = { accessKeyId: 'ASIAASSUMEUNIT0002', secretAccessKey: 'assume/unit+SECRET/fedcba9876543210', sessionToken: 'source-session/token+==' };

function fetcher(url: string, source: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  return assumeRoleFetcher({
    roleArn: 'arn:aws:iam::123456789012:role/vod-reader',
    sessionName: 'origin-signer',
    durationSeconds: 900,
    externalId: 'cdn origin/ä+',
    source: new StaticCredentialProvider('src', source),
    stsEndpoint: url,
    env: {},
    timeoutMs: 2000,
    clock: Date.now,
  });
}

for (const source of [SOURCE, SOURCE_WITH_TOKEN]) {
  test(`AssumeRole signed by our signer is accepted by smithy (source ${source.sessionToken ? 'with' : 'without'} a session token)`, async (t) => {
    const issuer = new Issuer('ASIAUNITROLE', 15 * 60_000);
    const sts = await startAssumeRoleSts(t, issuer, { callers: () => [source] });
    const c = await fetcher(sts.url, source)();
    assert.equal(c.accessKeyId, issuer.issued[0]!.accessKeyId);
    assert.equal(c.sessionToken, issuer.issued[0]!.sessionToken);
    assert.equal(c.expiration?.toISOString(), issuer.issued[0]!.expiration.toISOString());
    assert.equal(sts.accepted[0]!.CallerAccessKeyId, source.accessKeyId);
    assert.equal(sts.accepted[0]!.ExternalId, 'cdn origin/ä+');
    assert.equal(sts.accepted[0]!.DurationSeconds, '900');
  });
}

test('AssumeRole signed with the wrong secret is refused by the oracle (the check can fail)', async (t) => {
  const sts = await startAssumeRoleSts(t, new Issuer('ASIAUNITROLE', 15 * 60_000), { callers: () => [SOURCE] });
  await assert.rejects(fetcher(sts.url, { ...SOURCE, secretAccessKey: 'not-the-secret' })(), /STS AssumeRole failed: SignatureDoesNotMatch/);
  assert.equal(sts.accepted.length, 0);
});

test(
  'the shared fake STS (fake-aws.ts startFakeSts) accepts a correctly signed AssumeRole',
  {},
  async (t) => {
    const sts = await startFakeSts(t, new Issuer('ASIAUNITROLE', 15 * 60_000), { callers: () => [SOURCE] });
    await fetcher(sts.url, SOURCE)();
    assert.equal(sts.accepted.length, 1);
  },
);
