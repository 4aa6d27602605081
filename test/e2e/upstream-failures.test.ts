// README "What reaches the bucket", step 7: when the upstream fails, the viewer gets an honest answer. Unreachable → 502,
// timed out → 504, each as the proxy's short JSON naming the block; S3's own errors (404 NoSuchKey,
// 403 SignatureDoesNotMatch) keep their code in a short S3 error of the proxy's, never the store's
// body (it can hold our canonical request); an upstream that dies mid-body cuts the
// viewer's connection (never a silently short 200) and the proxy goes on serving.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { accessLineFor } from '../support/access-lines.js';
import { raw, xmlField, type Res } from '../support/origin-client.js';
import { freePort } from '../support/sockets.js';

/** A raw TCP server that hands each connection to `onConnection`; every socket is destroyed afterwards. */
async function rawServer(t: TestContext, onConnection: (socket: Socket) => void): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as AddressInfo).port;
}

/** Calls `fn` with the request head once a full HTTP request head has arrived on `socket`. */
function onRequestHead(socket: Socket, fn: (head: string) => void): void {
  let buf = '';
  const onData = (c: Buffer): void => {
    buf += c.toString('latin1');
    if (buf.includes('\r\n\r\n')) {
      socket.off('data', onData);
      fn(buf);
    }
  };
  socket.on('data', onData);
}

/** A GET that reports what the viewer saw even when the response is cut short. */
function cutAwareGet(port: number, path: string): Promise<{ status: number; headers: Record<string, unknown>; bytes: number; complete: boolean; error?: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let bytes = 0;
      let settled = false;
      const done = (complete: boolean, error?: string): void => {
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, complete, ...(error ? { error } : {}) });
      };
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => done(res.complete));
      res.on('aborted', () => done(false, 'aborted'));
      res.on('error', (err) => done(false, (err as NodeJS.ErrnoException).code ?? err.message));
      res.on('close', () => done(res.complete, res.complete ? undefined : 'closed'));
    });
    req.on('error', (err) => resolve({ status: 0, headers: {}, bytes: 0, complete: false, error: (err as NodeJS.ErrnoException).code ?? err.message }));
    req.end();
  });
}

function assertProxyError(res: Res, status: number, code: string, block: string): void {
  assert.equal(res.status, status, res.text.slice(0, 400));
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.equal(res.headers['cache-control'], 'no-store');
  const body = JSON.parse(res.text) as Record<string, unknown>;
  assert.equal(body.error, code);
  assert.equal(body.block, block);
  assert.equal(body.requestId, res.headers['x-request-id']);
  assert.equal(typeof body.message, 'string');
  assert.doesNotMatch(res.text, /\n\s+at |secret|AKID/i, 'no stack, no credentials');
}

test('upstream failures: 502, 504, S3 errors as short errors of the proxy, mid-body cut', async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'ok.txt', 'still serving\n', { contentType: 'text/plain' });

  const nowhere = await freePort();
  const silentConnections: Socket[] = [];
  const silent = await rawServer(t, (socket) => silentConnections.push(socket)); // accepts, never answers
  const dying = await rawServer(t, (socket) =>
    onRequestHead(socket, () => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000\r\nETag: "x"\r\n\r\n');
      socket.write(Buffer.alloc(10, 0x61), () => setTimeout(() => socket.destroy(), 20));
    }),
  );

  const stalling = await rawServer(t, (socket) =>
    onRequestHead(socket, () => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\n');
      socket.write(Buffer.alloc(10, 0x62)); // …and then nothing, with the connection open
    }),
  );
  const hangingUp = await rawServer(t, (socket) => onRequestHead(socket, () => socket.destroy()));
  const garbage = await rawServer(t, (socket) => onRequestHead(socket, () => socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n')));

  const block = (path: string, port: number, extra: Record<string, unknown> = {}, credentials = KEYS): Record<string, unknown> =>
    blockFor(port, { path, bucket: BUCKET, version: 'v4', mode: 'header', addressing: 'path', credentials, extra });
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [
      block('/ok/', origin.port),
      block('/unreachable/', nowhere, { pool: { connectTimeout: 2 } }),
      block('/slow/', silent, { pool: { headersTimeout: 0.3 } }),
      block('/wrong-secret/', origin.port, {}, { accessKeyId: KEYS.accessKeyId, secretAccessKey: 'not-the-right-secret' }),
      block('/dies/', dying),
      block('/stalls/', stalling, { pool: { bodyTimeout: 0.3 } }),
      block('/hangs-up/', hangingUp),
      block('/garbage/', garbage),
    ],
  });

  await t.test('unreachable upstream → 502 OS_ERR_UPSTREAM_UNREACHABLE', async () => {
    const res = await raw(proxy.port, { path: '/unreachable/a.txt' });
    assertProxyError(res, 502, 'OS_ERR_UPSTREAM_UNREACHABLE', '/unreachable/');
    // The viewer is told what it can act on; the store's address is the operator's, in the log.
    assert.equal(JSON.parse(res.text).message, `the store could not be reached; retry later (request id ${String(res.headers['x-request-id'])})`);
    assert.ok(!res.text.includes(String(nowhere)) && !/127\.0\.0\.1|ECONN/.test(res.text), res.text);
    const line = await accessLineFor(proxy, res.headers['x-request-id']);
    assert.match(String(line.detail), new RegExp(`ECONNREFUSED.*${nowhere}`));
    assert.equal(line.level, 'warn', '5xx lines are warnings');
    assert.equal(line.bytesOut, res.body.length, "the proxy's own error body is counted");
    const head = await raw(proxy.port, { method: 'HEAD', path: '/unreachable/a.txt' });
    assert.equal(head.status, 502);
    assert.equal(head.body.length, 0);
  });

  await t.test('upstream that never answers → 504 OS_ERR_UPSTREAM_TIMEOUT after headersTimeout', async () => {
    const started = performance.now();
    const res = await raw(proxy.port, { path: '/slow/a.txt' });
    const ms = performance.now() - started;
    assertProxyError(res, 504, 'OS_ERR_UPSTREAM_TIMEOUT', '/slow/');
    assert.ok(silentConnections.length >= 1, 'the request did reach the silent upstream');
    assert.ok(ms >= 250 && ms < 10_000, `answered after ${Math.round(ms)} ms (headersTimeout 0.3 s)`);
  });

  await t.test('upstream closes without answering, or answers garbage → 502', async () => {
    assertProxyError(await raw(proxy.port, { path: '/hangs-up/a.txt' }), 502, 'OS_ERR_UPSTREAM_UNREACHABLE', '/hangs-up/');
    assertProxyError(await raw(proxy.port, { path: '/garbage/a.txt' }), 502, 'OS_ERR_UPSTREAM_UNREACHABLE', '/garbage/');
  });

  await t.test('missing key → 404 NoSuchKey as a short S3 error of the proxy\'s (the store\'s body is not passed on)', async () => {
    const before = origin.requests.length;
    const res = await raw(proxy.port, { path: '/ok/no/such%20key.txt' });
    assert.equal(res.status, 404);
    assert.equal(res.headers['content-type'], 'application/xml');
    assert.equal(xmlField(res.text, 'Code'), 'NoSuchKey');
    assert.equal(xmlField(res.text, 'Key'), undefined, 'the store\'s fields stay with the store');
    assert.equal(xmlField(res.text, 'RequestId'), res.headers['x-request-id']);
    assert.match(res.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error>/);
    assert.equal(res.headers['content-length'], String(res.body.length));
    assert.equal(origin.requests.length, before + 1);
    assert.equal(origin.requests.at(-1)?.errorCode, 'NoSuchKey');
  });

  await t.test('wrong secret → 403 SignatureDoesNotMatch, without the store\'s canonical request or key id', async () => {
    const res = await raw(proxy.port, { path: '/wrong-secret/ok.txt' });
    assert.equal(res.status, 403);
    assert.equal(res.headers['content-type'], 'application/xml');
    assert.equal(xmlField(res.text, 'Code'), 'SignatureDoesNotMatch');
    assert.equal(xmlField(res.text, 'AWSAccessKeyId'), undefined);
    assert.ok(!res.text.includes(KEYS.accessKeyId));
    assert.doesNotMatch(res.text, /CanonicalRequest|StringToSign|SignatureProvided/);
    assert.ok(!res.text.includes('not-the-right-secret'));
  });

  await t.test('upstream dies mid-body → the viewer\'s connection is cut; the proxy keeps serving', async () => {
    for (let i = 0; i < 2; i++) {
      const cut = await cutAwareGet(proxy.port, '/dies/file.bin');
      assert.equal(cut.status, 200, 'headers were already on their way');
      assert.equal(cut.headers['content-length'], '1000');
      assert.equal(cut.complete, false, `the viewer must see an incomplete response (${JSON.stringify(cut)})`);
      assert.ok(cut.bytes < 1000, `got ${cut.bytes} of 1000 bytes`);
      const next = await raw(proxy.port, { path: '/ok/ok.txt' });
      assert.equal(next.status, 200);
      assert.equal(next.text, 'still serving\n');
    }
    assert.equal(proxy.child.exitCode, null, 'the proxy process is still running');
  });

  await t.test('upstream stalls mid-body past bodyTimeout → the viewer\'s connection is cut', async () => {
    const started = performance.now();
    const cut = await cutAwareGet(proxy.port, '/stalls/file.bin');
    const ms = performance.now() - started;
    assert.equal(cut.status, 200);
    assert.equal(cut.complete, false, `the viewer must see an incomplete response (${JSON.stringify(cut)})`);
    assert.equal(cut.bytes, 10);
    assert.ok(ms < 10_000, `cut after ${Math.round(ms)} ms (bodyTimeout 0.3 s)`);
    const next = await raw(proxy.port, { path: '/ok/ok.txt' });
    assert.equal(next.status, 200);
  });
});
