// An instance-metadata set with its own `endpoint` (imds-endpoint.ts): an IMDS answer that never
// ends — a flood, or a drip that keeps the socket's idle timeout from firing — is cut, not
// buffered or waited on. The fetch's deadline rejects the fetch but does not stop its request, so
// before this an endless answer grew the proxy's memory until it died, after the refresh had failed.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test, type TestContext } from 'node:test';
import { IMDS_MAX_ANSWER_BYTES, imdsAtEndpointFetcher } from '../../../src/credentials/sources/imds-endpoint.js';
import { FLOOD_BYTES, allClosed, drip, endlessEndpoint, flood, type EndlessEndpoint } from '../../support/endless-answer.js';

/** IMDS that hands out a token and a role, then answers the credentials document with `answer`. */
function imds(t: TestContext, answer: (res: ServerResponse, sent: () => number) => void): Promise<EndlessEndpoint> {
  return endlessEndpoint(t, (req, res, sent) => {
    if (req.method === 'PUT' && req.url === '/latest/api/token') return void res.end('imds-token');
    if (req.url === '/latest/meta-data/iam/security-credentials/') return void res.end('endless-role');
    res.writeHead(200, { 'content-type': 'text/plain' });
    answer(res, sent);
  });
}

test('an IMDS credentials answer that floods: cut past the cap, not buffered', { timeout: 10_000 }, async (t) => {
  const ep = await imds(t, (res, sent) => flood(res, sent, '{'));
  const fetch = imdsAtEndpointFetcher({ endpoint: ep.url, allowImdsV1: false, timeoutMs: 5000 });
  await assert.rejects(fetch(), { message: `IMDS credentials of role endless-role failed (answer larger than ${IMDS_MAX_ANSWER_BYTES} bytes)` });
  assert.ok(ep.sent() < FLOOD_BYTES, `the whole answer was read: ${ep.sent()} bytes`);
});

test('an IMDS credentials answer that drips: given up after `timeout`, its connection closed', { timeout: 10_000 }, async (t) => {
  const ep = await imds(t, (res) => drip(res, '{'));
  const fetch = imdsAtEndpointFetcher({ endpoint: ep.url, allowImdsV1: false, timeoutMs: 400 });
  const started = Date.now();
  await assert.rejects(fetch(), { message: 'IMDS credentials of role endless-role failed (no whole answer within 400 ms)' });
  assert.ok(Date.now() - started < 5000, `settled after ${Date.now() - started} ms`);
  assert.ok(await allClosed(ep), 'the dripping answer is still being read');
});
