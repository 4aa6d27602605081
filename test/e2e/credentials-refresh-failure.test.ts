// README "Refresh": IMDS keys that live ~6 s; right after the first fetch IMDS starts answering 500.
// Requests keep succeeding with the current keys while refreshes fail, then — once the keys are
// within the safety margin of their expiry — get 503 OS_ERR_CREDENTIALS_UNAVAILABLE naming the set,
// the expiry and the failure, without reaching the origin. Retries back off (1 s doubling, capped at
// 60 s, jittered); once IMDS works again requests succeed again with a new key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { OriginKeyRing, cleanAwsEnv, sleep } from '../support/creds-helpers.js';
import { Issuer, startFakeImds } from '../support/fake-aws.js';
import { serverErrorDetail, waitForLog } from '../support/access-lines.js';
import { raw } from '../support/origin-client.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

const BUCKET = 'refresh-bucket';
const LIFETIME_MS = 6000;
/** The provider stops using a set this long before it expires: min(2 s, lifetime / 10). */
const MARGIN_MS = Math.min(2000, LIFETIME_MS / 10);

interface Poll {
  at: number;
  status: number;
  text: string;
  imdsCalls: number;
  originRequests: number;
}

test('IMDS failing: keep signing until the keys expire, then 503 naming the set and the failure, then recover', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'a.txt', 'still here\n', { contentType: 'text/plain' });
  const ring = new OriginKeyRing(t, origin, 50);
  const issuer = ring.issuer(new Issuer('ASIAREFRESH', LIFETIME_MS, () => ring.sync()));
  const imds = await startFakeImds(t, issuer);
  const proxy = await startProxyCli(
    t,
    {
      server: { host: '127.0.0.1', port: 0 },
      credentials: { 'box-role': { source: 'instance-metadata' } },
      proxies: [blockFor(origin.port, { path: '/r/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: 'box-role' })],
    },
    cleanAwsEnv(t, { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }),
  );
  assert.equal(issuer.issued.length, 1);
  const first = issuer.issued[0]!;
  const expiry = first.expiration.getTime();
  imds.failing = true;
  const callsAtStart = imds.calls.length;

  const poll = async (): Promise<Poll> => {
    const res = await raw(proxy.port, { path: '/r/a.txt' });
    return { at: Date.now(), status: res.status, text: res.text, imdsCalls: imds.calls.length, originRequests: origin.requests.length };
  };

  // Phase 1: poll until the first 503 (bounded).
  const polls: Poll[] = [];
  for (;;) {
    const p = await poll();
    polls.push(p);
    if (p.status !== 200) break;
    assert.ok(Date.now() < expiry + 10_000, 'no 503 long after the keys expired');
    await sleep(100);
  }
  const firstFailure = polls.at(-1)!;
  const oks = polls.slice(0, -1);
  assert.ok(oks.length > 0 && oks.every((p) => p.status === 200));
  assert.ok(
    oks.some((p) => p.imdsCalls > callsAtStart),
    'some requests succeeded after a refresh had already failed (the current keys are kept)',
  );
  assert.ok(firstFailure.at >= expiry - MARGIN_MS - 50, `the first 503 came ${expiry - firstFailure.at} ms before expiry: too early`);
  assert.ok(issuer.issued.length === 1, 'IMDS issued nothing while failing');

  // The 503 and its reason.
  assert.equal(firstFailure.status, 503, firstFailure.text);
  // The viewer is told to retry; the set and the source's failure are in the access line.
  const { body, detail } = await serverErrorDetail(proxy, firstFailure);
  assert.equal(body.error, 'OS_ERR_CREDENTIALS_UNAVAILABLE');
  assert.doesNotMatch(String(body.message), /box-role|IMDS|expired/);
  assert.match(detail, /credentials "box-role"/);
  assert.ok(detail.includes(`credentials expired at ${first.expiration.toISOString()}`), detail);
  assert.match(detail, /last refresh failed: IMDS: IMDSv2 token request failed and the IMDSv1 fallback is off/);

  // More requests while still failing: all 503, none reaches the origin, and IMDS is not asked once per request.
  const failing: Poll[] = [firstFailure];
  for (let i = 0; i < 15; i++) {
    await sleep(100);
    failing.push(await poll());
  }
  assert.ok(failing.every((p) => p.status === 503), failing.map((p) => p.status).join(','));
  assert.equal(failing.at(-1)!.originRequests, firstFailure.originRequests, 'no origin request for a 503');
  assert.equal(origin.requests.length, oks.length, 'the origin saw exactly the successful requests');
  const imdsCallsWhile503 = failing.at(-1)!.imdsCalls - polls.at(-2)!.imdsCalls;
  assert.ok(imdsCallsWhile503 < failing.length, `${imdsCallsWhile503} IMDS calls for ${failing.length} refused requests`);

  // Each failure is logged with its count and a backoff of [base/2, base], base = min(60 s, 1 s × 2^(n−1)).
  const failures = proxy.logs().filter((l) => l.msg === 'credentials refresh failed');
  assert.ok(failures.length >= 2);
  failures.forEach((l, i) => {
    assert.equal(l.credentials, 'box-role');
    assert.equal(l.failures, i + 1);
    const base = Math.min(60_000, 1000 * 2 ** i);
    const retry = l.retryInMs as number;
    assert.ok(retry >= base / 2 - 1 && retry <= base + 1, `failure ${i + 1}: retry in ${retry} ms, expected ${base / 2}…${base}`);
    assert.match(String(l.err), /IMDSv2 token request failed/);
  });
  assert.ok((failures[0]!.retryInMs as number) <= 1000, 'the first retry comes within a second');

  // Phase 2: IMDS works again → requests succeed again, with a new key, within a bounded wait.
  imds.failing = false;
  const healed = Date.now();
  let recovered: Poll | undefined;
  while (Date.now() - healed < 20_000) {
    const p = await poll();
    if (p.status === 200) {
      recovered = p;
      break;
    }
    assert.equal(p.status, 503);
    await sleep(200);
  }
  assert.ok(recovered, 'requests succeed again within 20 s of IMDS recovering');
  assert.ok(issuer.issued.length >= 2);
  assert.equal(origin.requests.at(-1)!.accessKeyId, issuer.issued.at(-1)!.accessKeyId);
  assert.notEqual(origin.requests.at(-1)!.accessKeyId, first.accessKeyId);
  assert.equal(origin.requests.at(-1)!.status, 200);
  const refreshed = await waitForLog(proxy, (l) => l.msg === 'credentials refreshed' && l.rotated === true, 5000);
  assert.equal(refreshed.accessKeyId, issuer.issued.at(-1)!.accessKeyId);
  t.diagnostic(`first 503 ${expiry - firstFailure.at} ms before expiry; ${failures.length} failed refreshes; recovered ${recovered.at - healed} ms after IMDS came back`);
});
