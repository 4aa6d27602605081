// README "Credential sources", through the CLI against the strict origin (which enforces session
// tokens): one block per source — instance-metadata, container, web-identity, assume-role (signed
// by the AWS SDK's STS client, verified by the fake STS with smithy), profile, env — each GET is
// 200 and the origin saw the key that source issued; `chain` with only IMDS configured uses IMDS;
// IMDSv2 whose token PUT fails gives 503 OS_ERR_CREDENTIALS_UNAVAILABLE without reaching the
// origin unless `allowImdsV1: true` (and an IMDS that answers v1), which then works.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startStrictOrigin, type StrictOrigin } from '@origin-signer/strict-origin';
import { OriginKeyRing, cleanAwsEnv, startAssumeRoleSts, startImdsWithTokenSwitch, tempFile } from '../support/creds-helpers.js';
import { Issuer, startFakeContainerEndpoint, startFakeImds, startFakeSts } from '../support/fake-aws.js';
import { serverErrorDetail } from '../support/access-lines.js';
import { raw } from '../support/origin-client.js';
import { blockFor, startProxyCli, type ProxyProcess } from '../support/proxy-cli.js';

const BUCKET = 'creds-bucket';
const BODY = 'signed with fetched credentials\n';
const LIFETIME_MS = 60 * 60 * 1000;

async function startOrigin(t: import('node:test').TestContext): Promise<StrictOrigin> {
  const origin = await startStrictOrigin({ credentials: [], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'hello.txt', BODY, { contentType: 'text/plain' });
  return origin;
}

const block = (originPort: number, path: string, credentials: string | Record<string, unknown>): Record<string, unknown> =>
  blockFor(originPort, { path, bucket: BUCKET, version: 'v4', mode: 'header', credentials: credentials as string });

/** GET through the proxy; returns the response and the origin requests it caused. */
async function get(proxy: ProxyProcess, origin: StrictOrigin, path: string) {
  const before = origin.requests.length;
  const res = await raw(proxy.port, { path });
  return { res, atOrigin: origin.requests.slice(before) };
}

test('every credential source signs requests the strict origin accepts', { timeout: 90_000 }, async (t) => {
  const origin = await startOrigin(t);
  const ring = new OriginKeyRing(t, origin);

  const imdsIssuer = ring.issuer(new Issuer('ASIAIMDS', LIFETIME_MS, () => ring.sync()));
  const imds = await startFakeImds(t, imdsIssuer, { role: 'box-role' });

  const containerIssuer = ring.issuer(new Issuer('ASIATASK', LIFETIME_MS, () => ring.sync()));
  const containerToken = 'eks-pod-identity-token-0001';
  const container = await startFakeContainerEndpoint(t, containerIssuer, containerToken);
  // Written as kubelet projects it: no trailing newline (the SDK sends the file as it is).
  const containerTokenFile = tempFile(t, 'eks-token', containerToken);

  const webIssuer = ring.issuer(new Issuer('ASIAIRSA', LIFETIME_MS, () => ring.sync()));
  const webToken = 'eyJhbGciOiJSUzI1NiJ9.irsa-projected-token.sig';
  const webTokenFile = tempFile(t, 'irsa-token', webToken);
  const stsWeb = await startFakeSts(t, webIssuer, { webIdentityToken: () => webToken });

  const assumeSource = { accessKeyId: 'AKIAASSUMESOURCE01', secretAccessKey: 'assume/source+SECRET/0123456789abcdef' };
  const assumeIssuer = ring.issuer(new Issuer('ASIAROLE', LIFETIME_MS, () => ring.sync()));
  const stsAssume = await startAssumeRoleSts(t, assumeIssuer, { callers: () => [assumeSource] });

  const profileKeys = ring.static({ accessKeyId: 'ASIAPROFILE0000001', secretAccessKey: 'profile/SECRET+abcdef0123456789', sessionToken: 'profile-session/token+0001==' });
  const envKeys = ring.static({ accessKeyId: 'ASIAENVKEYS0000001', secretAccessKey: 'env/SECRET+abcdef0123456789', sessionToken: 'env-session/token+0001==' });

  const env = cleanAwsEnv(t, {
    AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: container.url,
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: containerTokenFile,
    AWS_WEB_IDENTITY_TOKEN_FILE: webTokenFile,
    AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/irsa-reader',
    AWS_ENDPOINT_URL_STS: stsWeb.url,
    AWS_ACCESS_KEY_ID: envKeys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: envKeys.secretAccessKey,
    AWS_SESSION_TOKEN: envKeys.sessionToken!,
  });
  mkdirSync(join(env.HOME!, '.aws'));
  writeFileSync(
    join(env.HOME!, '.aws', 'credentials'),
    `[default]\naws_access_key_id = AKIAWRONGDEFAULT01\naws_secret_access_key = wrong\n\n[media-dev]\naws_access_key_id = ${profileKeys.accessKeyId}\naws_secret_access_key = ${profileKeys.secretAccessKey}\naws_session_token = ${profileKeys.sessionToken}\n`,
  );

  const proxy = await startProxyCli(
    t,
    {
      server: { host: '127.0.0.1', port: 0 },
      credentials: {
        box: { source: 'instance-metadata' },
        task: { source: 'container' },
        irsa: { source: 'web-identity' },
        'assume-source': assumeSource,
        reader: { source: 'assume-role', roleArn: 'arn:aws:iam::123456789012:role/vod-reader', sourceCredentials: 'assume-source', externalId: 'cdn-origin', stsEndpoint: stsAssume.url },
        dev: { source: 'profile', profile: 'media-dev' },
        'from-env': { source: 'env' },
      },
      proxies: [
        block(origin.port, '/imds/', 'box'),
        block(origin.port, '/container/', 'task'),
        block(origin.port, '/irsa/', 'irsa'),
        block(origin.port, '/assume/', 'reader'),
        block(origin.port, '/profile/', 'dev'),
        block(origin.port, '/env/', 'from-env'),
      ],
    },
    env,
  );

  const expectServed = async (path: string, accessKeyId: () => string | undefined): Promise<void> => {
    const { res, atOrigin } = await get(proxy, origin, `${path}hello.txt`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text, BODY);
    assert.equal(atOrigin.length, 1);
    assert.equal(atOrigin[0]!.status, 200);
    assert.equal(atOrigin[0]!.auth, 'v4-header');
    assert.ok(accessKeyId(), 'the source issued a key');
    assert.equal(atOrigin[0]!.accessKeyId, accessKeyId());
    assert.ok(atOrigin[0]!.headers['x-amz-security-token'], 'the session token was sent');
  };

  await t.test('instance-metadata: IMDSv2 token PUT, then role GETs with the token', async () => {
    await expectServed('/imds/', () => imdsIssuer.issued.at(-1)?.accessKeyId);
    assert.equal(imdsIssuer.issued.length, 1);
    assert.deepEqual(imds.calls, ['PUT /latest/api/token', 'GET /latest/meta-data/iam/security-credentials/', 'GET /latest/meta-data/iam/security-credentials/box-role']);
  });

  await t.test('container: FULL_URI with the token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', async () => {
    await expectServed('/container/', () => containerIssuer.issued.at(-1)?.accessKeyId);
    assert.deepEqual(container.calls, ['GET /v2/credentials/task']);
  });

  await t.test('web-identity: the token file exchanged with AssumeRoleWithWebIdentity at AWS_ENDPOINT_URL_STS', async () => {
    await expectServed('/irsa/', () => webIssuer.issued.at(-1)?.accessKeyId);
    assert.equal(stsWeb.accepted.length, 1);
    assert.equal(stsWeb.accepted[0]!.Action, 'AssumeRoleWithWebIdentity');
    assert.equal(stsWeb.accepted[0]!.RoleArn, 'arn:aws:iam::123456789012:role/irsa-reader');
    assert.equal(stsWeb.accepted[0]!.WebIdentityToken, webToken);
    assert.equal(stsWeb.accepted[0]!.RoleSessionName, 'origin-signer');
  });

  await t.test('assume-role: AssumeRole signed with the source set (verified by smithy), then S3 with the role', async () => {
    await expectServed('/assume/', () => assumeIssuer.issued.at(-1)?.accessKeyId);
    assert.equal(stsAssume.accepted.length, 1, stsAssume.calls.join('\n'));
    const call = stsAssume.accepted[0]!;
    assert.equal(call.Action, 'AssumeRole');
    assert.equal(call.CallerAccessKeyId, assumeSource.accessKeyId);
    assert.equal(call.RoleArn, 'arn:aws:iam::123456789012:role/vod-reader');
    assert.equal(call.ExternalId, 'cdn-origin');
    assert.equal(call.RoleSessionName, 'origin-signer');
    assert.equal(call.DurationSeconds, '3600');
    // The source keys themselves never went to the bucket.
    assert.ok(!origin.requests.some((r) => r.accessKeyId === assumeSource.accessKeyId));
  });

  await t.test('profile: a named profile of $HOME/.aws/credentials with a session token', async () => {
    await expectServed('/profile/', () => profileKeys.accessKeyId);
  });

  await t.test('env: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN', async () => {
    await expectServed('/env/', () => envKeys.accessKeyId);
  });

  await t.test('a second round reuses the fetched sets (no new fetch per request)', async () => {
    for (const p of ['/imds/', '/container/', '/irsa/', '/assume/']) assert.equal((await raw(proxy.port, { path: `${p}hello.txt` })).status, 200);
    assert.deepEqual([imdsIssuer, containerIssuer, webIssuer, assumeIssuer].map((i) => i.issued.length), [1, 1, 1, 1]);
  });
});

test('chain with only IMDS configured uses instance metadata', { timeout: 60_000 }, async (t) => {
  const origin = await startOrigin(t);
  const ring = new OriginKeyRing(t, origin);
  const issuer = ring.issuer(new Issuer('ASIACHAIN', LIFETIME_MS, () => ring.sync()));
  const imds = await startFakeImds(t, issuer);
  // No env keys, an empty HOME (no profile), no web identity, no container variables.
  const proxy = await startProxyCli(
    t,
    { server: { host: '127.0.0.1', port: 0 }, credentials: { anything: { source: 'chain' } }, proxies: [block(origin.port, '/chain/', 'anything')] },
    cleanAwsEnv(t, { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }),
  );
  const { res, atOrigin } = await get(proxy, origin, '/chain/hello.txt');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.text, BODY);
  assert.equal(issuer.issued.length, 1);
  assert.equal(atOrigin[0]?.accessKeyId, issuer.issued[0]!.accessKeyId);
  assert.ok(imds.calls.includes('PUT /latest/api/token'));
});

test('IMDSv2 token PUT failing: 503 without reaching the origin; allowImdsV1 with an IMDS that answers v1: 200', { timeout: 60_000 }, async (t) => {
  const origin = await startOrigin(t);
  const ring = new OriginKeyRing(t, origin);
  const v2Issuer = ring.issuer(new Issuer('ASIAVTWO', LIFETIME_MS, () => ring.sync()));
  const v1Issuer = ring.issuer(new Issuer('ASIAVONE', LIFETIME_MS, () => ring.sync()));
  const v2Only = await startImdsWithTokenSwitch(t, v2Issuer, { allowV1: false });
  const v1Ok = await startImdsWithTokenSwitch(t, v1Issuer, { allowV1: true });
  v2Only.failPut = true;
  v1Ok.failPut = true;
  const proxy = await startProxyCli(
    t,
    {
      server: { host: '127.0.0.1', port: 0 },
      credentials: {
        'imds-v2-only': { source: 'instance-metadata', endpoint: v2Only.url },
        'imds-v1-allowed': { source: 'instance-metadata', endpoint: v1Ok.url, allowImdsV1: true },
      },
      proxies: [block(origin.port, '/v2only/', 'imds-v2-only'), block(origin.port, '/v1ok/', 'imds-v1-allowed')],
    },
    cleanAwsEnv(t),
  );

  await t.test('allowImdsV1 off (default): 503 OS_ERR_CREDENTIALS_UNAVAILABLE naming the set and the failure, zero origin requests', async () => {
    for (let i = 0; i < 3; i++) {
      const { res, atOrigin } = await get(proxy, origin, '/v2only/hello.txt');
      assert.equal(res.status, 503, res.text);
      const { body, detail } = await serverErrorDetail(proxy, res);
      assert.equal(body.error, 'OS_ERR_CREDENTIALS_UNAVAILABLE');
      assert.match(detail, /credentials "imds-v2-only"/);
      assert.match(detail, /IMDSv2 token request answered 500 and the IMDSv1 fallback is off: set allowImdsV1: true/);
      assert.equal(atOrigin.length, 0);
    }
    assert.equal(v2Issuer.issued.length, 0);
    assert.ok(v2Only.calls.length >= 1 && v2Only.calls.every((c) => c.startsWith('PUT ')), `only token PUTs, never a v1 GET: ${v2Only.calls.join(', ')}`);
  });

  await t.test('allowImdsV1: true: falls back to v1 GETs and signs', async () => {
    const { res, atOrigin } = await get(proxy, origin, '/v1ok/hello.txt');
    assert.equal(res.status, 200, res.text);
    assert.equal(atOrigin[0]?.accessKeyId, v1Issuer.issued[0]!.accessKeyId);
    assert.ok(v1Ok.calls.includes('GET /latest/meta-data/iam/security-credentials/origin-signer-role v1'), v1Ok.calls.join(', '));
    assert.ok(!v1Ok.calls.some((c) => c.endsWith(' v2')));
  });
});
