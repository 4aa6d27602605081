// Regression: an STS endpoint (AssumeRole here; web identity and profiles share the client
// configuration) whose answer never ends — a flood, or a drip that keeps the handler's idle
// timeout from firing — was read by the SDK for as long as it lasted: the refresh's deadline
// failed the fetch, but its request went on, growing the proxy's memory. The answer is now cut
// past STS_MAX_ANSWER_BYTES, or `timeout` after its head, and its connection closed.
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { StaticCredentialProvider } from '../../../src/credentials/provider.js';
import { assumeRoleFetcher } from '../../../src/credentials/sources/assume-role.js';
import { STS_MAX_ANSWER_BYTES } from '../../../src/credentials/sources/bounded-http-handler.js';
import { sdkLogger } from '../../../src/credentials/sources/sdk-logger.js';
import { createLogger } from '../../../src/log/logger.js';
import { useCleanAwsEnv } from '../../support/creds-helpers.js';

const FLOOD_BYTES = 32 * 1024 * 1024;
const SOURCE = { accessKeyId: 'AKIDENDLESSSOURCE01', secretAccessKey: 'endless/source+secret/0123456789abcdef' };

/** STS answering every request with `answer`; counts what it sent and the answers still open. */
async function sts(t: TestContext, answer: (res: ServerResponse) => void): Promise<{ url: string; sent: () => number; open: () => number }> {
  let sent = 0;
  let open = 0;
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/xml' });
    const write = res.write.bind(res);
    res.write = ((chunk: Buffer | string, ...rest: never[]) => {
      sent += Buffer.byteLength(chunk);
      return write(chunk, ...rest);
    }) as typeof res.write;
    open++;
    res.on('close', () => open--);
    res.write('<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>');
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent: () => sent, open: () => open };
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

const settled = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('an STS answer that floods: cut past the cap, not buffered', { timeout: 20_000 }, async (t) => {
  useCleanAwsEnv(t);
  const ep = await sts(t, (res) => {
    const chunk = Buffer.alloc(64 * 1024, 'A');
    // Bounded here so the code before the fix (which read it all) fails rather than swaps.
    const pump = (): void => {
      while (!res.destroyed && ep.sent() < FLOOD_BYTES) if (!res.write(chunk)) return void res.once('drain', pump);
      if (!res.destroyed) res.end();
    };
    pump();
  });
  await assert.rejects(fetcher(ep.url, 5000)(), { message: `STS AssumeRole: answer larger than ${STS_MAX_ANSWER_BYTES} bytes (HTTP 200)` });
  await settled(200);
  assert.ok(ep.sent() < FLOOD_BYTES, `the whole answer was read: ${ep.sent()} bytes`);
  assert.equal(ep.open(), 0, 'the flooding answer is still open');
});

test('an STS answer that drips: given up after `timeout`, its connection closed', { timeout: 20_000 }, async (t) => {
  useCleanAwsEnv(t);
  const ep = await sts(t, (res) => {
    const drip = setInterval(() => res.write('A'), 50);
    res.on('close', () => clearInterval(drip));
  });
  const started = Date.now();
  await assert.rejects(fetcher(ep.url, 400)(), { message: 'STS AssumeRole: no whole answer within 400 ms (HTTP 200)' });
  assert.ok(Date.now() - started < 5000, `settled after ${Date.now() - started} ms`);
  await settled(300);
  assert.equal(ep.open(), 0, 'the dripping answer is still being read');
});
