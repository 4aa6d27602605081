// README "Credential sources": the web-identity token file and the container authorization token
// file are re-read on every refresh (Kubernetes / EKS rotate them), so a rotated token is what the
// next fetch sends, and an old token is never cached.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { containerFetcher } from '../../../src/credentials/sources/container.js';
import { webIdentityFetcher } from '../../../src/credentials/sources/web-identity.js';
import { tempFile } from '../../support/creds-helpers.js';
import { Issuer, startFakeContainerEndpoint, startFakeSts } from '../../support/fake-aws.js';

test('web-identity: each fetch reads the token file afresh', async (t) => {
  let accepted = 'projected-token-one';
  const issuer = new Issuer('ASIAIRSAUNIT', 3600_000);
  const sts = await startFakeSts(t, issuer, { webIdentityToken: () => accepted });
  const file = tempFile(t, 'token', 'projected-token-one\n');
  const fetch = webIdentityFetcher({ env: { AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/irsa', AWS_WEB_IDENTITY_TOKEN_FILE: file }, stsEndpoint: sts.url, timeoutMs: 2000 });
  assert.equal((await fetch()).accessKeyId, issuer.issued[0]!.accessKeyId);

  // Kubernetes rotates the projected token; STS now accepts only the new one.
  accepted = 'projected-token-two';
  writeFileSync(file, 'projected-token-two\n');
  assert.equal((await fetch()).accessKeyId, issuer.issued[1]!.accessKeyId);
  assert.deepEqual(sts.accepted.map((a) => a.WebIdentityToken), ['projected-token-one', 'projected-token-two']);

  // A token STS refuses surfaces as the reason.
  writeFileSync(file, 'stale-token');
  await assert.rejects(fetch(), /STS AssumeRoleWithWebIdentity failed: InvalidIdentityToken/);
  writeFileSync(file, '   \n');
  await assert.rejects(fetch(), /is empty/);
});

test('container: each fetch reads AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE afresh (it wins over _TOKEN)', async (t) => {
  const issuer = new Issuer('ASIATASKUNIT', 3600_000);
  let token = 'pod-identity-token-one';
  const ep = await startFakeContainerEndpoint(t, issuer, 'pod-identity-token-one');
  const file = tempFile(t, 'eks-token', `${token}\n`);
  const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: ep.url, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'static-token-ignored' };
  const fetch = containerFetcher({ env, timeoutMs: 2000 });
  assert.equal((await fetch()).accessKeyId, issuer.issued[0]!.accessKeyId);
  token = 'pod-identity-token-two';
  writeFileSync(file, token);
  // The fake still wants the first token: a fetch that re-reads the file is refused.
  await assert.rejects(fetch(), /container credentials endpoint answered 401/);
  assert.equal(issuer.issued.length, 1);
});

test('container: a plain-http FULL_URI must be loopback or the ECS/EKS agent', async () => {
  const fetch = containerFetcher({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://example.com/creds' }, timeoutMs: 500 });
  await assert.rejects(fetch(), /must name a loopback address or the ECS\/EKS agent, not example\.com/);
});
