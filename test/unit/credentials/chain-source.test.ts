// README "Credential sources", chain: the SDK's default chain in its order (environment before
// instance metadata), and every refresh walks it again — the chain's own memo (until 5 minutes
// before expiry) never hands a refresh the keys it already had.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chainFetcher } from '../../../src/credentials/sources/chain.js';
import { sdkLogger } from '../../../src/credentials/sources/sdk-logger.js';
import { createLogger } from '../../../src/log/logger.js';
import { useCleanAwsEnv } from '../../support/creds-helpers.js';
import { Issuer, startFakeImds } from '../../support/fake-aws.js';

const logger = sdkLogger(createLogger('silent'), 'unit');

test('chain with only IMDS configured: each refresh fetches from IMDS again', async (t) => {
  const issuer = new Issuer('ASIACHAINUNIT', 3600_000);
  const imds = await startFakeImds(t, issuer);
  useCleanAwsEnv(t, { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url });
  const fetch = chainFetcher({ allowImdsV1: false, timeoutMs: 2000, logger });
  const keys = [(await fetch()).accessKeyId, (await fetch()).accessKeyId];
  assert.deepEqual(keys, issuer.issued.map((c) => c.accessKeyId));
  assert.equal(issuer.issued.length, 2);
});

test('chain: environment keys come before instance metadata', async (t) => {
  const imds = await startFakeImds(t, new Issuer('ASIACHAINUNIT', 3600_000));
  useCleanAwsEnv(t, { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url, AWS_ACCESS_KEY_ID: 'AKIACHAINENV00001', AWS_SECRET_ACCESS_KEY: 'chain/env+SECRET' });
  const c = await chainFetcher({ allowImdsV1: false, timeoutMs: 2000, logger })();
  assert.equal(c.accessKeyId, 'AKIACHAINENV00001');
  assert.deepEqual(imds.calls, []);
});
