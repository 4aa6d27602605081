// README "Refresh": instance-metadata keys that live ~4 s, 1000 requests spread over ~10 s (20 at a
// time). Every request is 200 although the keys rotate under them; the origin accepts only keys that
// have not expired, so a request signed with an expired key would be refused. The origin sees ≥ 3
// keys, in the order IMDS issued them, and IMDS is asked about once per rotation — never per request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { OriginKeyRing, cleanAwsEnv, pool, sleep } from '../support/creds-helpers.js';
import { Issuer, startFakeImds } from '../support/fake-aws.js';
import { raw, s3 } from '../support/origin-client.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { waitForLog } from '../support/access-lines.js';

const BUCKET = 'rotation-bucket';
const LIFETIME_MS = 4000;
const REQUESTS = 1000;
const SPREAD_MS = 10_000;
const CONCURRENCY = 20;

test('1000 requests over ~10 s while 4-second IMDS keys rotate: all 200, keys in issue order, one fetch per rotation', { timeout: 90_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'segment.ts', 'x'.repeat(1024), { contentType: 'video/mp2t' });
  const ring = new OriginKeyRing(t, origin, 50);
  const issuer = ring.issuer(new Issuer('ASIAROTATE', LIFETIME_MS, () => ring.sync()));
  const imds = await startFakeImds(t, issuer);
  const proxy = await startProxyCli(
    t,
    {
      server: { host: '127.0.0.1', port: 0 },
      credentials: { box: { source: 'instance-metadata' } },
      proxies: [blockFor(origin.port, { path: '/rot/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: 'box' })],
    },
    cleanAwsEnv(t, { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }),
  );
  assert.equal(issuer.issued.length, 1, 'fetched once at start-up');

  const started = Date.now();
  const statuses = await pool(REQUESTS, CONCURRENCY, async (i) => {
    const due = started + (i * SPREAD_MS) / REQUESTS;
    if (due > Date.now()) await sleep(due - Date.now());
    const res = await raw(proxy.port, { path: '/rot/segment.ts' });
    return res.status === 200 ? 200 : `${res.status} ${res.text.slice(0, 200)}`;
  });
  const elapsed = Date.now() - started;

  const failed = statuses.filter((s) => s !== 200);
  assert.equal(failed.length, 0, `non-200 answers: ${failed.slice(0, 5).join(' | ')}`);
  assert.equal(origin.requests.length, REQUESTS);
  assert.ok(origin.requests.every((r) => r.status === 200));

  // Keys in order of first appearance at the origin = the keys IMDS issued, in issue order (the
  // last one may have been issued too late to be used).
  const issuedIds = issuer.issued.map((c) => c.accessKeyId);
  const seen: string[] = [];
  for (const r of origin.requests) if (r.accessKeyId && !seen.includes(r.accessKeyId)) seen.push(r.accessKeyId);
  assert.ok(seen.length >= 3, `the origin saw ${seen.length} keys over ${elapsed} ms: ${seen.join(', ')}`);
  assert.ok(seen.every((k) => issuedIds.includes(k)), 'only issued keys are used');
  const indices = seen.map((k) => issuedIds.indexOf(k));
  assert.deepEqual(indices, [...indices].sort((a, b) => a - b), `used in issue order: ${seen.join(', ')}`);
  assert.deepEqual(seen, issuedIds.slice(0, seen.length), 'no issued key skipped');
  assert.ok(issuedIds.length - seen.length <= 1);

  // About one credential fetch per rotation: refreshes come at least lifetime − min(refreshBefore,
  // lifetime/2) = 2 s apart, so over `elapsed` ms there are at most elapsed/2000 + 1 of them.
  const credentialGets = imds.calls.filter((c) => c.startsWith('GET /latest/meta-data/iam/security-credentials/origin-signer-role'));
  assert.equal(credentialGets.length, issuer.issued.length);
  const rotations = Math.ceil((Date.now() - started) / (LIFETIME_MS / 2)) + 1;
  assert.ok(issuer.issued.length <= rotations + 2, `${issuer.issued.length} fetches for ~${rotations} rotations`);
  assert.ok(issuer.issued.length < REQUESTS / 50, 'single flight: nowhere near one fetch per request');

  // The logs tell the same story: one "credentials refreshed" line per issued key, rotated after the first.
  // (A refresh may be under way at the end: wait for the line of the last key issued so far.)
  await waitForLog(proxy, (l) => l.msg === 'credentials refreshed' && l.accessKeyId === issuedIds.at(-1), 5000);
  const refreshed = proxy.logs().filter((l) => l.msg === 'credentials refreshed').slice(0, issuedIds.length);
  assert.deepEqual(refreshed.map((l) => l.accessKeyId), issuedIds);
  assert.deepEqual(refreshed.map((l) => l.rotated), issuedIds.map((_, i) => i > 0));
  t.diagnostic(`${REQUESTS} requests in ${elapsed} ms; ${seen.length} keys used, ${issuedIds.length} issued`);

  // And the origin really refuses a request signed with an expired key.
  const first = issuer.issued[0]!;
  assert.ok(first.expiration.getTime() < Date.now());
  ring.sync();
  const stale = await s3(origin, { path: `/${BUCKET}/segment.ts`, creds: { accessKeyId: first.accessKeyId, secretAccessKey: first.secretAccessKey, sessionToken: first.sessionToken } });
  assert.equal(stale.status, 403, stale.text);
  assert.match(stale.text, /InvalidAccessKeyId/);
});
