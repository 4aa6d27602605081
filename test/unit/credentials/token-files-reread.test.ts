// README "Credential sources": the web-identity token file and the container authorization token
// file are re-read on every refresh (Kubernetes / EKS rotate them), so a rotated token is what the
// next fetch sends, and an old token is never cached — through the SDK's fromTokenFile and fromHttp
// against the fake STS and container endpoint.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { createLogger } from '../../../src/log/logger.js';
import { containerFetcher } from '../../../src/credentials/sources/container.js';
import { sdkLogger } from '../../../src/credentials/sources/sdk-logger.js';
import { webIdentityFetcher } from '../../../src/credentials/sources/web-identity.js';
import { tempFile, useCleanAwsEnv } from '../../support/creds-helpers.js';
import { Issuer, startFakeContainerEndpoint, startFakeSts } from '../../support/fake-aws.js';

const logger = sdkLogger(createLogger('silent'), 'unit');

test('web-identity: each fetch reads the token file afresh', async (t) => {
  useCleanAwsEnv(t);
  let accepted = 'projected-token-one';
  const issuer = new Issuer('ASIAIRSAUNIT', 3600_000);
  const sts = await startFakeSts(t, issuer, { webIdentityToken: () => accepted });
  const file = tempFile(t, 'token', 'projected-token-one');
  const fetch = webIdentityFetcher({ roleArn: 'arn:aws:iam::123456789012:role/irsa', tokenFile: file, stsEndpoint: sts.url, timeoutMs: 2000, logger });
  assert.equal((await fetch()).accessKeyId, issuer.issued[0]!.accessKeyId);

  // Kubernetes rotates the projected token; STS now accepts only the new one.
  accepted = 'projected-token-two';
  writeFileSync(file, 'projected-token-two');
  assert.equal((await fetch()).accessKeyId, issuer.issued[1]!.accessKeyId);
  assert.deepEqual(sts.accepted.map((a) => a.WebIdentityToken), ['projected-token-one', 'projected-token-two']);
  assert.deepEqual(sts.accepted.map((a) => a.RoleSessionName), ['origin-signer', 'origin-signer']);

  // A token STS refuses surfaces as the reason, with STS's code and status.
  writeFileSync(file, 'stale-token');
  await assert.rejects(fetch(), /^Error: STS AssumeRoleWithWebIdentity: InvalidIdentityTokenException: token rejected \(HTTP 400\)$/);
});

test('container: each fetch reads AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE afresh (it wins over _TOKEN)', async (t) => {
  const issuer = new Issuer('ASIATASKUNIT', 3600_000);
  const ep = await startFakeContainerEndpoint(t, issuer, 'pod-identity-token-one');
  const file = tempFile(t, 'eks-token', 'pod-identity-token-one');
  useCleanAwsEnv(t, { AWS_CONTAINER_CREDENTIALS_FULL_URI: ep.url, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'static-token-ignored' });
  const fetch = containerFetcher({ timeoutMs: 2000, logger });
  assert.equal((await fetch()).accessKeyId, issuer.issued[0]!.accessKeyId);
  writeFileSync(file, 'pod-identity-token-two');
  // The fake still wants the first token: a fetch that re-reads the file is refused.
  await assert.rejects(fetch(), /^Error: container credentials endpoint: Server responded with status: 401$/);
  assert.equal(issuer.issued.length, 1);
  assert.equal(ep.calls.length, 2);
});

test('container: a plain-http FULL_URI must be loopback or the ECS/EKS agent', async (t) => {
  useCleanAwsEnv(t, { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://example.com/creds' });
  await assert.rejects(containerFetcher({ timeoutMs: 500, logger })(), /URL not accepted\. It must either be HTTPS or match one of the following: - loopback CIDR 127\.0\.0\.0\/8/);
});
