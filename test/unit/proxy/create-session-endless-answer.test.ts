// A store whose CreateSession answer never ends — a flood of bytes, or a drip that keeps the
// pool's idle body timeout from firing — must not hold the session's single flight (and every
// request of the directory bucket waiting on it) forever, nor be buffered without bound: the
// answer is capped at CREATE_SESSION_MAX_BYTES and the whole call at its deadline.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test, type TestContext } from 'node:test';
import { loadConfigText } from '../../../src/config/load.js';
import { StaticCredentialProvider } from '../../../src/credentials/provider.js';
import { CREATE_SESSION_MAX_BYTES, s3ExpressSessions } from '../../../src/proxy/create-session.js';
import { SigningKeyCache } from '../../../src/signing/v4/signing-key.js';
import { PoolRegistry } from '../../../src/upstream/pools.js';
import { FLOOD_BYTES, drip, endlessEndpoint, flood } from '../../support/endless-answer.js';

async function sessionsFrom(t: TestContext, answer: (res: ServerResponse, sent: () => number) => void, deadlineMs: number) {
  const store = await endlessEndpoint(t, (_req, res, sent) => {
    res.writeHead(200, { 'content-type': 'application/xml' });
    answer(res, sent);
  });
  const yaml = `proxies:\n  - path: /p/\n    upstream: { bucket: media--usw2-az1--x-s3, region: us-west-2, endpoint: "http://localhost:${store.port}", addressing: virtual }\n    credentials: { accessKeyId: AKIAENDLESS0001, secretAccessKey: endless/SECRET/0123456789 }\n`;
  const block = loadConfigText(yaml, 'endless.yaml', { env: {}, now: Date.now }).config.proxies[0]!;
  const pools = new PoolRegistry();
  t.after(() => pools.retain(new Set()));
  const base = new StaticCredentialProvider('reader', { accessKeyId: 'AKIAENDLESS0001', secretAccessKey: 'endless/SECRET/0123456789' });
  const sessions = s3ExpressSessions(block, { pool: pools.get(block.origin, block.pool), base, clock: Date.now, keyCache: new SigningKeyCache(), deadlineMs });
  return { sessions, sent: store.sent };
}

test('a CreateSession answer that floods: refused once past the cap, not buffered', { timeout: 10_000 }, async (t) => {
  const { sessions, sent } = await sessionsFrom(
    t,
    (res, sent) => {
      res.write('<CreateSessionResult>');
      flood(res, sent, ' ');
    },
    60_000,
  );
  const started = Date.now();
  await assert.rejects(sessions.get(), (err: Error) => err.message.includes(`CreateSession answered more than ${CREATE_SESSION_MAX_BYTES} bytes`));
  assert.ok(Date.now() - started < 5000, `refused after ${Date.now() - started} ms`);
  assert.ok(sent() < FLOOD_BYTES, `the whole answer was read: ${sent()} bytes`);
});

test('a CreateSession answer that drips: given up at the deadline, the waiting request refused', { timeout: 10_000 }, async (t) => {
  const { sessions } = await sessionsFrom(
    t,
    (res) => {
      res.write('<CreateSessionResult>');
      drip(res, '<x/>');
    },
    500,
  );
  const started = Date.now();
  await assert.rejects(sessions.get(), /CreateSession did not finish within 500 ms/);
  assert.ok(Date.now() - started < 3000, `settled after ${Date.now() - started} ms`);
  assert.equal(sessions.state().lastError, 'CreateSession did not finish within 500 ms');
});
