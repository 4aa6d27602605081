// README "Credential sources": a failed fetch is reported in one line — where, the service's code,
// the HTTP status — and never carries a secret, even when the endpoint's answer held one; a fetch
// that never settles is cut at its deadline, so the set's next refresh is not held behind it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfigFile } from '../../../src/config/load.js';
import { CredentialRegistry } from '../../../src/credentials/providers.js';
import { containerFetcher } from '../../../src/credentials/sources/container.js';
import { describeSdkError } from '../../../src/credentials/sources/sdk-error.js';
import { sdkLogger } from '../../../src/credentials/sources/sdk-logger.js';
import { createLogger } from '../../../src/log/logger.js';
import { tempDir, tempFile, useCleanAwsEnv } from '../../support/creds-helpers.js';
import { Issuer, startFakeContainerEndpoint } from '../../support/fake-aws.js';

const SECRET = 'Kq1cXp0o4m9l6/SUPER+SECRET/0123456789ab';

test('a JSON syntax error loses the text V8 quotes from the answer', () => {
  for (const text of [SECRET, `x{"${SECRET}`]) {
    let err: unknown;
    try {
      JSON.parse(text);
    } catch (e) {
      err = e;
    }
    assert.match(String(err), /Kq1c/, 'V8 quotes the start of the text (the premise)');
    assert.equal(describeSdkError(err), 'SyntaxError: the answer is not valid JSON');
  }
});

test('a container endpoint answering something that is not JSON: the error holds no part of the secret', async (t) => {
  const issuer = new Issuer('ASIABROKEN', 3600_000);
  const ep = await startFakeContainerEndpoint(t, issuer, 'token');
  ep.mangle = (_body, c) => `${c.secretAccessKey} ${c.sessionToken}`;
  const file = tempFile(t, 'token', 'token');
  useCleanAwsEnv(t, { AWS_CONTAINER_CREDENTIALS_FULL_URI: ep.url, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: file });
  const err = await containerFetcher({ timeoutMs: 2000, logger: sdkLogger(createLogger('silent'), 'unit') })().then(
    () => assert.fail('a non-JSON answer was accepted'),
    (e: Error) => e,
  );
  assert.equal(err.message, 'container credentials endpoint: SyntaxError: the answer is not valid JSON');
});

test('an endpoint that accepts the connection and never answers: the refresh fails at its deadline', async (t) => {
  const hung = createServer(() => {});
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    hung.closeAllConnections();
    hung.close();
  });
  useCleanAwsEnv(t, { AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${(hung.address() as AddressInfo).port}/creds` });
  const file = join(tempDir(t), 'config.yaml');
  writeFileSync(file, 'credentials:\n  task: { source: container, timeout: 0.2 }\nproxies:\n  - path: /p/\n    upstream: { bucket: hung-bucket, region: us-east-1 }\n    credentials: task\n');
  const registry = new CredentialRegistry({ log: createLogger('silent'), clock: Date.now, random: () => 0 });
  t.after(() => registry.close());
  const { fresh } = registry.prepare(loadConfigFile(file, { env: {}, now: Date.now }).config);
  const started = Date.now();
  await Promise.all(fresh.map((p) => p.start()));
  const state = registry.all()[0]!.state();
  assert.equal(state.valid, false);
  assert.equal(state.lastError, 'the container fetch did not finish within 800 ms');
  assert.ok(Date.now() - started < 5000, `settled after ${Date.now() - started} ms`);
});
