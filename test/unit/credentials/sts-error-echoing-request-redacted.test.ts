// An STS error whose message quotes the request it refused — AWS's IncompleteSignature echoes the
// Authorization header, Signature included; a broken or hostile endpoint may echo the session
// token or the secret it was signed with — reaches the set's lastError (/readyz, /status), its
// log line and the 503's access-line detail. None of the signature, token or secret may.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { StaticCredentialProvider } from '../../../src/credentials/provider.js';
import { RefreshingCredentialProvider } from '../../../src/credentials/refreshing-provider.js';
import { assumeRoleFetcher } from '../../../src/credentials/sources/assume-role.js';
import { sdkLogger } from '../../../src/credentials/sources/sdk-logger.js';
import { createLogger } from '../../../src/log/logger.js';
import { useCleanAwsEnv } from '../../support/creds-helpers.js';

const SOURCE = { accessKeyId: 'ASIAECHOSOURCE0001', secretAccessKey: 'echo/source+SECRET/0123456789abcdef', sessionToken: 'echo-source/session+TOKEN/0123456789==' };

test('an STS error echoing the Authorization header, the session token and the secret: none of them is repeated', async (t) => {
  useCleanAwsEnv(t);
  const seen: string[] = [];
  const sts = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const auth = String(req.headers.authorization);
      seen.push(auth);
      const message = `Authorization header requires 'Signature' parameter. Authorization=${auth} X-Amz-Security-Token=${String(req.headers['x-amz-security-token'])} secret ${SOURCE.secretAccessKey}`;
      res.writeHead(400, { 'content-type': 'text/xml' }).end(`<ErrorResponse><Error><Type>Sender</Type><Code>IncompleteSignature</Code><Message>${message}</Message></Error><RequestId>x</RequestId></ErrorResponse>`);
    });
  });
  await new Promise<void>((resolve) => sts.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    sts.closeAllConnections();
    sts.close();
  });
  const lines: string[] = [];
  const log = createLogger('debug', { write: (s: string) => void lines.push(s) });
  const fetch = assumeRoleFetcher({
    roleArn: 'arn:aws:iam::123456789012:role/vod-reader',
    sessionName: 'origin-signer',
    durationSeconds: 900,
    source: new StaticCredentialProvider('src', SOURCE),
    stsEndpoint: `http://127.0.0.1:${(sts.address() as AddressInfo).port}`,
    region: 'us-east-1',
    timeoutMs: 2000,
    logger: sdkLogger(log, 'role'),
  });
  const provider = new RefreshingCredentialProvider('role', fetch, { clock: Date.now, random: () => 0, refreshBeforeMs: 300_000, log });
  t.after(() => provider.close());
  await provider.start();
  const refused = await provider.get().then(
    () => assert.fail('the refusal was accepted'),
    (e: Error) => e.message,
  );

  const signature = /Signature=([0-9a-f]{64})/.exec(seen[0] ?? '')?.[1];
  assert.ok(signature, `the request was signed (${seen[0]})`);
  const lastError = provider.state().lastError ?? '';
  assert.match(lastError, /^STS AssumeRole: IncompleteSignature: .*\(HTTP 400\)$/, 'the reason is still given');
  for (const [where, text] of [['lastError', lastError], ['the 503 detail', refused], ['the log', lines.join('')]] as const) {
    for (const [what, value] of [['signature', signature], ['session token', SOURCE.sessionToken], ['secret', SOURCE.secretAccessKey]] as const) {
      assert.ok(!text.includes(value), `${where} holds the ${what}: ${text}`);
    }
  }
});
