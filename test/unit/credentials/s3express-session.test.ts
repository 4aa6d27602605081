// S3 Express One Zone sessions: CreateSession's answer parsed; one CreateSession however many
// requests arrive at once; renewed (in the background) once a request comes after the refresh
// point, a minute before expiry; a failure refuses with OS_ERR_CREDENTIALS_UNAVAILABLE naming it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OriginSignerError } from '../../../src/errors.js';
import { parseCreateSession, S3ExpressSessionProvider } from '../../../src/credentials/s3express-session.js';

const xml = (akid: string, expiration: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<CreateSessionResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Credentials><SessionToken>tok-${akid}+/=</SessionToken><SecretAccessKey>sec-${akid}</SecretAccessKey><AccessKeyId>${akid}</AccessKeyId><Expiration>${expiration}</Expiration></Credentials></CreateSessionResult>`;

test('parseCreateSession: the session credentials, the token as an S3 session token; refuses incomplete answers', () => {
  const c = parseCreateSession(xml('ASIASESSION1', '2026-12-06T16:35:00Z'));
  assert.deepEqual(c, { accessKeyId: 'ASIASESSION1', secretAccessKey: 'sec-ASIASESSION1', s3SessionToken: 'tok-ASIASESSION1+/=', expiration: new Date('2026-12-06T16:35:00Z') });
  assert.equal((c as { sessionToken?: string }).sessionToken, undefined, 'never an x-amz-security-token');
  assert.throws(() => parseCreateSession('<Error><Code>AccessDenied</Code></Error>'), /without <CreateSessionResult><Credentials>/);
  assert.throws(() => parseCreateSession(xml('A', 'tomorrow')), /Expiration that is not a date/);
  assert.throws(() => parseCreateSession(xml('A', '2026-12-06T16:35:00Z').replace(/<SecretAccessKey>.*<\/SecretAccessKey>/, '')), /without SecretAccessKey/);
  assert.throws(() => parseCreateSession('not xml <'), /./);
});

function harness(lifetimeMs = 300_000) {
  let now = Date.parse('2026-12-06T16:30:00Z');
  let n = 0;
  const pending: Array<() => void> = [];
  let fail: string | undefined;
  const calls: number[] = [];
  const provider = new S3ExpressSessionProvider({
    bucket: 'b--usw2-az1--x-s3',
    baseName: 'reader',
    clock: () => now,
    createSession: () => {
      calls.push(now);
      const akid = `ASIASESSION${++n}`;
      const expiration = new Date(now + lifetimeMs).toISOString();
      const failing = fail;
      // Answered when the test says so: concurrent callers are all waiting on this one.
      return new Promise((resolve, reject) => pending.push(() => (failing ? reject(new Error(failing)) : resolve(parseCreateSession(xml(akid, expiration))))));
    },
  });
  return {
    provider,
    calls,
    answer: () => pending.splice(0).forEach((f) => f()),
    advance: (ms: number) => (now += ms),
    failNext: (reason: string | undefined) => (fail = reason),
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

test('single flight: concurrent requests share one CreateSession; the session is kept until its refresh point', async () => {
  const h = harness();
  assert.equal(h.provider.current(), undefined);
  const waiting = [h.provider.get(), h.provider.get(), h.provider.get()];
  assert.equal(h.calls.length, 1, 'one CreateSession for three requests');
  h.answer();
  const got = await Promise.all(waiting);
  assert.ok(got.every((c) => c.accessKeyId === 'ASIASESSION1'));
  // Until a minute before expiry: no new session.
  h.advance(239_000);
  assert.equal(h.provider.current()?.accessKeyId, 'ASIASESSION1');
  assert.equal(h.calls.length, 1);
});

test('refresh before expiry: a request after the refresh point still signs with the current session while one CreateSession renews it', async () => {
  const h = harness();
  const first = h.provider.get();
  h.answer();
  await first;
  h.advance(241_000); // past expiry − 60 s
  assert.equal(h.provider.current()?.accessKeyId, 'ASIASESSION1', 'the current session, still valid, is used');
  assert.equal(h.provider.current()?.accessKeyId, 'ASIASESSION1');
  assert.equal(h.calls.length, 2, 'one renewal for both requests');
  h.answer();
  await tick();
  assert.equal(h.provider.current()?.accessKeyId, 'ASIASESSION2');
  assert.equal(h.calls.length, 2);
});

test('a session near its expiry is not used: the request waits for the new one', async () => {
  const h = harness();
  const first = h.provider.get();
  h.answer();
  await first;
  h.advance(299_000); // within the 2 s margin
  assert.equal(h.provider.current(), undefined);
  const waiting = h.provider.get();
  assert.equal(h.calls.length, 2);
  h.answer();
  assert.equal((await waiting).accessKeyId, 'ASIASESSION2');
});

test('CreateSession failing: 503 OS_ERR_CREDENTIALS_UNAVAILABLE naming the bucket and the failure; not retried for every request', async () => {
  const h = harness();
  h.failNext('CreateSession answered 403 AccessDenied');
  const a = h.provider.get();
  h.answer();
  await assert.rejects(a, (err: unknown) => {
    assert.ok(err instanceof OriginSignerError);
    assert.equal(err.code, 'OS_ERR_CREDENTIALS_UNAVAILABLE');
    assert.equal(err.status, 503);
    assert.match(err.message, /credentials "reader": no S3 Express session for bucket b--usw2-az1--x-s3; CreateSession failed: CreateSession answered 403 AccessDenied/);
    return true;
  });
  await assert.rejects(h.provider.get(), /403 AccessDenied/);
  assert.equal(h.calls.length, 1, 'within a second of the failure, no second CreateSession');
  h.failNext(undefined);
  h.advance(1001);
  const b = h.provider.get();
  h.answer();
  assert.equal((await b).accessKeyId, 'ASIASESSION2');
  assert.equal(h.provider.state().consecutiveFailures, 0);
});
