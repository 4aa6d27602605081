// Regression: an STS endpoint (AssumeRole here; web identity and profiles share the client
// configuration) whose answer never ends — a flood, or a drip that keeps the handler's idle
// timeout from firing — was read by the SDK for as long as it lasted: the refresh's deadline
// failed the fetch, but its request went on, growing the proxy's memory. The answer is now cut
// past STS_MAX_ANSWER_BYTES, or `timeout` after its head, and its connection closed.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test, type TestContext } from 'node:test';
import { StaticCredentialProvider } from '../../../src/credentials/provider.js';
import { assumeRoleFetcher } from '../../../src/credentials/sources/assume-role.js';
import { STS_MAX_ANSWER_BYTES } from '../../../src/credentials/sources/bounded-http-handler.js';
import { sdkLogger } from '../../../src/credentials/sources/sdk-logger.js';
import { createLogger } from '../../../src/log/logger.js';
import { useCleanAwsEnv } from '../../support/creds-helpers.js';
import { FLOOD_BYTES, allClosed, drip, endlessEndpoint, flood, type EndlessEndpoint } from '../../support/endless-answer.js';

const SOURCE = { accessKeyId: 'AKIDENDLESSSOURCE01', secretAccessKey: 'endless/source+secret/0123456789abcdef' };

/** STS answering every request with the start of an AssumeRole answer, then `rest`. */
function sts(t: TestContext, rest: (res: ServerResponse, sent: () => number) => void): Promise<EndlessEndpoint> {
  return endlessEndpoint(t, (req, res, sent) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.write('<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>');
    rest(res, sent);
  });
}

function fetcher(url: string, timeoutMs: number) {
  return assumeRoleFetcher({
    roleArn: 'arn:aws:iam::123456789012:role/vod-reader',
    sessionName: 'origin-signer',
    durationSeconds: 900,
    source: new StaticCredentialProvider('src', SOURCE),
    stsEndpoint: url,
    region: 'us-east-1',
    timeoutMs,
    logger: sdkLogger(createLogger('error', { write: () => undefined }), 'role'),
  });
}

test('an STS answer that floods: cut past the cap, not buffered', { timeout: 20_000 }, async (t) => {
  useCleanAwsEnv(t);
  const ep = await sts(t, (res, sent) => flood(res, sent, 'A'));
  await assert.rejects(fetcher(ep.url, 5000)(), { message: `STS AssumeRole: answer larger than ${STS_MAX_ANSWER_BYTES} bytes (HTTP 200)` });
  assert.ok(await allClosed(ep), 'the flooding answer is still open');
  assert.ok(ep.sent() < FLOOD_BYTES, `the whole answer was read: ${ep.sent()} bytes`);
});

test('an STS answer that drips: given up after `timeout`, its connection closed', { timeout: 20_000 }, async (t) => {
  useCleanAwsEnv(t);
  const ep = await sts(t, (res) => drip(res, 'A'));
  const started = Date.now();
  await assert.rejects(fetcher(ep.url, 400)(), { message: 'STS AssumeRole: no whole answer within 400 ms (HTTP 200)' });
  assert.ok(Date.now() - started < 5000, `settled after ${Date.now() - started} ms`);
  assert.ok(await allClosed(ep), 'the dripping answer is still being read');
});
