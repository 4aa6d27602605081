// README "Credential sources", instance-metadata: the same behaviour whether IMDS is found the SDK's
// way (AWS_EC2_METADATA_SERVICE_ENDPOINT, fromInstanceMetadata) or named by the set's `endpoint`
// (the hand-written exchange): IMDSv2 token then role GETs, a new fetch on every refresh, no IMDSv1
// unless allowImdsV1, and expired keys reported with their real expiry (never the SDK's extension).
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { CredentialFetcher } from '../../../src/credentials/refreshing-provider.js';
import { instanceMetadataFetcher } from '../../../src/credentials/sources/instance-metadata.js';
import { sdkLogger } from '../../../src/credentials/sources/sdk-logger.js';
import { createLogger } from '../../../src/log/logger.js';
import { startImdsWithTokenSwitch, useCleanAwsEnv } from '../../support/creds-helpers.js';
import { Issuer, startFakeImds } from '../../support/fake-aws.js';

const logger = sdkLogger(createLogger('silent'), 'unit');
const ROLE = 'GET /latest/meta-data/iam/security-credentials/origin-signer-role';

/** The fetcher for an IMDS at `url`, found through the environment or given as `endpoint`. */
function imdsAt(t: TestContext, via: string, url: string, allowImdsV1 = false): CredentialFetcher {
  useCleanAwsEnv(t, via === 'environment' ? { AWS_EC2_METADATA_SERVICE_ENDPOINT: url } : {});
  return instanceMetadataFetcher({ allowImdsV1, timeoutMs: 2000, logger, ...(via === 'endpoint' ? { endpoint: url } : {}) });
}

for (const via of ['environment', 'endpoint']) {
  test(`${via}: token PUT, role GETs with the token, and every fetch asks IMDS again`, async (t) => {
    const issuer = new Issuer('ASIAIMDSUNIT', 3600_000);
    const imds = await startFakeImds(t, issuer);
    const fetch = imdsAt(t, via, imds.url);
    const [a, b] = [await fetch(), await fetch()];
    assert.deepEqual([a.accessKeyId, b.accessKeyId], issuer.issued.map((c) => c.accessKeyId));
    assert.equal(a.sessionToken, issuer.issued[0]!.sessionToken);
    assert.equal(a.expiration?.toISOString(), issuer.issued[0]!.expiration.toISOString());
    const round = ['PUT /latest/api/token', 'GET /latest/meta-data/iam/security-credentials/', ROLE];
    assert.deepEqual(imds.calls, [...round, ...round]);
  });

  test(`${via}: the token PUT failing with allowImdsV1 off: the reason, and not one IMDSv1 GET`, async (t) => {
    const imds = await startImdsWithTokenSwitch(t, new Issuer('ASIAVTWO', 3600_000), { allowV1: true });
    imds.failPut = true;
    // The SDK does not pass on the token request's status; the hand-written exchange does.
    const how = via === 'endpoint' ? 'answered 500' : 'failed';
    await assert.rejects(imdsAt(t, via, imds.url)(), { message: `IMDS: IMDSv2 token request ${how} and the IMDSv1 fallback is off: set allowImdsV1: true to allow it` });
    assert.deepEqual(imds.calls, ['PUT /latest/api/token']);
  });

  test(`${via}: the token PUT failing with allowImdsV1: true: IMDSv1 GETs`, async (t) => {
    const issuer = new Issuer('ASIAVONE', 3600_000);
    const imds = await startImdsWithTokenSwitch(t, issuer, { allowV1: true });
    imds.failPut = true;
    assert.equal((await imdsAt(t, via, imds.url, true)()).accessKeyId, issuer.issued[0]!.accessKeyId);
    assert.deepEqual(imds.calls, ['PUT /latest/api/token', 'GET /latest/meta-data/iam/security-credentials/ v1', `${ROLE} v1`]);
  });

  test(`${via}: keys that have already expired keep their real expiry (the refreshing provider refuses them)`, async (t) => {
    const issuer = new Issuer('ASIASTALE', -60_000);
    const imds = await startFakeImds(t, issuer);
    const c = await imdsAt(t, via, imds.url)();
    assert.equal(c.expiration?.toISOString(), issuer.issued[0]!.expiration.toISOString());
  });
}
