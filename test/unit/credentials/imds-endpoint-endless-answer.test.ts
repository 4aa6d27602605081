// An instance-metadata set with its own `endpoint` (imds-endpoint.ts): an IMDS answer that never
// ends — a flood, or a drip that keeps the socket's idle timeout from firing — is cut, not
// buffered or waited on. The fetch's deadline rejects the fetch but does not stop its request, so
// before this an endless answer grew the proxy's memory until it died, after the refresh had failed.
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { IMDS_MAX_ANSWER_BYTES, imdsAtEndpointFetcher } from '../../../src/credentials/sources/imds-endpoint.js';

const FLOOD_BYTES = 32 * 1024 * 1024;

/** IMDS that hands out a token and a role, then answers the credentials document with `answer`. */
async function imds(t: TestContext, answer: (res: ServerResponse) => void): Promise<{ url: string; sent: () => number; open: () => number }> {
  let sent = 0;
  let open = 0;
  const server = createServer((req, res) => {
    if (req.method === 'PUT' && req.url === '/latest/api/token') return void res.end('imds-token');
    if (req.url === '/latest/meta-data/iam/security-credentials/') return void res.end('endless-role');
    res.writeHead(200, { 'content-type': 'text/plain' });
    const write = res.write.bind(res);
    res.write = ((chunk: Buffer | string, ...rest: never[]) => {
      sent += Buffer.byteLength(chunk);
      return write(chunk, ...rest);
    }) as typeof res.write;
    open++;
    res.on('close', () => open--);
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent: () => sent, open: () => open };
}

test('an IMDS credentials answer that floods: cut past the cap, not buffered', { timeout: 10_000 }, async (t) => {
  const ep = await imds(t, (res) => {
    const chunk = Buffer.alloc(64 * 1024, '{');
    // Bounded here so the code before the fix (which buffered it all) fails rather than swaps.
    const pump = (): void => {
      while (!res.destroyed && ep.sent() < FLOOD_BYTES) if (!res.write(chunk)) return void res.once('drain', pump);
      if (!res.destroyed) res.end();
    };
    pump();
  });
  const fetch = imdsAtEndpointFetcher({ endpoint: ep.url, allowImdsV1: false, timeoutMs: 5000 });
  await assert.rejects(fetch(), { message: `IMDS credentials of role endless-role failed (answer larger than ${IMDS_MAX_ANSWER_BYTES} bytes)` });
  assert.ok(ep.sent() < FLOOD_BYTES, `the whole answer was read: ${ep.sent()} bytes`);
});

test('an IMDS credentials answer that drips: given up after `timeout`, its connection closed', { timeout: 10_000 }, async (t) => {
  const ep = await imds(t, (res) => {
    const drip = setInterval(() => res.write('{'), 50);
    res.on('close', () => clearInterval(drip));
  });
  const fetch = imdsAtEndpointFetcher({ endpoint: ep.url, allowImdsV1: false, timeoutMs: 400 });
  const started = Date.now();
  await assert.rejects(fetch(), { message: 'IMDS credentials of role endless-role failed (no whole answer within 400 ms)' });
  assert.ok(Date.now() - started < 2000, `settled after ${Date.now() - started} ms`);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(ep.open(), 0, 'the dripping answer is still being read');
});
