// Writes that end other than with a plain PUT, through the CLI proxy into a real Ceph RGW, in each
// payload mode (`unsigned`, `sha256`, `streaming`):
//  - PUT then DELETE: the object is served, DELETE answers 204, then GET through the proxy is RGW's
//    404 NoSuchKey and a direct signed HEAD on RGW is 404;
//  - a viewer that declares Content-Length 8 MiB, sends 2 MiB and disconnects leaves no object in
//    RGW (direct signed HEAD → 404), and an interrupted overwrite leaves the previous version whole
//    (README "Payload modes": "A viewer that disconnects mid-upload leaves no object"). Positive
//    control: the same upload sent whole is stored, so the HEAD check can see an object;
//  - a chunked upload (Transfer-Encoding: chunked, no Content-Length, chunk sizes that are not
//    multiples of anything) is spooled and stored byte-exact: RGW reports its exact length and the
//    MD5 of its bytes, and GET returns them.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { raw } from '../support/origin-client.js';
import { startProxyCli, type ProxyProcess } from '../support/proxy-cli.js';
import { createBucket, encodeKey, rgwSkipReason, signedRequest, startRgw, type Rgw } from '../support/rgw.js';
import { s3ErrorCode } from '../support/rgw-proxy.js';
import { writesBlock } from '../support/rgw-writes-helpers.js';
import { MiB } from '../support/sizes.js';
import { PAYLOAD_MODES, streamUpload, watchingRelay } from '../support/writes-helpers.js';
import { generatedBody, generatedBytes, md5Hex, sha256Hex } from '../support/generated-body.js';
import { waitFor } from '../support/wait-for.js';
import { accessLineFor } from '../support/access-lines.js';

const DECLARED = 8 * MiB;
const SENT_BEFORE_DISCONNECT = 2 * MiB;

let seq = 0;
const nextId = (what: string): string => `writes-dd-${what}-${process.pid}-${++seq}`;

/**
 * PUT with `Content-Length: declared`, writes `sent` bytes of `body` (waiting until the kernel took
 * them), waits until `delivered()` says the proxy has passed them on (upstream, or to its spool),
 * then destroys the socket.
 */
function putThenDisconnect(port: number, path: string, body: Buffer, declared: number, sent: number, reqId: string, delivered: () => Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'PUT',
      path,
      agent: false,
      headers: { 'content-length': String(declared), 'content-type': 'application/octet-stream', 'x-request-id': reqId },
    });
    req.on('response', (res) => {
      res.resume();
      reject(new Error(`the proxy answered ${res.statusCode} before the upload was complete`));
    });
    req.on('error', () => undefined); // ours: the socket is destroyed on purpose
    req.write(body.subarray(0, sent), (err) => {
      if (err) return reject(err);
      delivered().then(() => {
        req.destroy();
        resolve();
      }, reject);
    });
  });
}

/** `data` as a Readable that yields pieces of irregular sizes (so node sends them as separate HTTP chunks). */
function irregularPieces(data: Buffer): Readable {
  const sizes = [1, 8191, 65537, 3, 1_000_000, 77_777];
  return Readable.from(
    (function* () {
      let at = 0;
      for (let i = 0; at < data.length; i++) {
        const n = Math.min(sizes[i % sizes.length]!, data.length - at);
        yield data.subarray(at, at + n);
        at += n;
      }
    })(),
  );
}

/** Bytes in the proxy's open spool files (unlinked at once, so only /proc/PID/fd still shows them). */
function spooledBytes(pid: number): number {
  let total = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (/origin-signer-[^/]*\.spool \(deleted\)$/.test(readlinkSync(`/proc/${pid}/fd/${fd}`))) total += statSync(`/proc/${pid}/fd/${fd}`).size;
    } catch {
      // closed meanwhile
    }
  }
  return total;
}

/** How many requests `METHOD /path` RGW has finished with (its access line is written at the end). */
function rgwDone(rgw: Rgw, method: string, path: string): number {
  const line = `"${method} ${path} HTTP/1.1"`;
  return readFileSync(rgw.logFile, 'utf8').split('\n').filter((l) => l.includes(' beast: ') && l.includes(line)).length;
}

async function directHead(rgw: Rgw, bucket: string, key: string): Promise<{ status: number; length?: string; etag?: string }> {
  const head = await signedRequest(rgw, 'HEAD', `/${bucket}/${encodeKey(key)}`);
  return { status: head.status, length: head.headers['content-length'], etag: head.headers.etag as string | undefined };
}

test('PUT + DELETE, disconnected uploads and chunked uploads through the proxy into Ceph RGW', { skip: rgwSkipReason(), timeout: 600_000 }, async (t) => {
  const started = Date.now();
  const rgw = await startRgw();
  t.after(() => rgw.stop());
  t.diagnostic(`RGW ${rgw.endpoint} up in ${Date.now() - started} ms`);
  const bucket = `writes-dd-${randomBytes(4).toString('hex')}`;
  await createBucket(rgw, bucket);
  // A relay between the proxy and RGW shows how much of an upload has gone upstream.
  const relay = await watchingRelay(t, rgw.port, Buffer.from('\r\n0;chunk-signature='));
  const viaRelay = { ...rgw, endpoint: `http://127.0.0.1:${relay.port}` };
  const proxy: ProxyProcess = await startProxyCli(t, {
    log: { level: 'info' },
    server: { host: '127.0.0.1', port: 0 },
    proxies: PAYLOAD_MODES.map((payload) => writesBlock(viaRelay, { path: `/${payload}/`, bucket, payload, spoolMaxSize: '64MiB' })),
  });

  for (const payload of PAYLOAD_MODES) {
    await t.test(`payload: ${payload}: PUT, then DELETE, then 404 NoSuchKey`, async () => {
      const key = `del/${payload}/segment 0001.ts`;
      const path = `/${payload}/${encodeKey(key)}`;
      const body = generatedBytes(300_001, `writes-dd/${payload}/del`);
      const put = await raw(proxy.port, { method: 'PUT', path, body });
      assert.equal(put.status, 200, put.text);
      const get = await raw(proxy.port, { path });
      assert.equal(get.status, 200, get.text.slice(0, 300));
      assert.ok(get.body.equals(body));
      assert.equal((await directHead(rgw, bucket, key)).status, 200);

      const del = await raw(proxy.port, { method: 'DELETE', path });
      assert.equal(del.status, 204, `DELETE: ${del.text}`);
      const after = await raw(proxy.port, { path });
      assert.equal(after.status, 404, after.text.slice(0, 300));
      assert.equal(s3ErrorCode(after.body), 'NoSuchKey', after.text);
      assert.equal((await raw(proxy.port, { method: 'HEAD', path })).status, 404, 'HEAD through the proxy');
      assert.equal((await directHead(rgw, bucket, key)).status, 404, 'direct HEAD on RGW');
    });

    await t.test(`payload: ${payload}: a viewer that disconnects after 2 of 8 MiB leaves no object`, async () => {
      const body = generatedBytes(DECLARED, `writes-dd/${payload}/cut`);
      // Positive control: the same upload sent whole is stored.
      const wholeKey = `cut/${payload}/whole.bin`;
      const whole = await raw(proxy.port, { method: 'PUT', path: `/${payload}/${encodeKey(wholeKey)}`, body });
      assert.equal(whole.status, 200, whole.text);
      assert.deepEqual(await directHead(rgw, bucket, wholeKey), { status: 200, length: String(DECLARED), etag: `"${md5Hex(body)}"` });

      // Streamed modes: cut once the upload is in flight at RGW. payload: sha256 spools first, so
      // cut once the proxy's spool holds what was sent; nothing reaches RGW then.
      const streamed = payload !== 'sha256';
      const delivered = (): (() => Promise<unknown>) => {
        const upBefore = relay.upBytes();
        return streamed
          ? () => waitFor(() => relay.upBytes() - upBefore >= SENT_BEFORE_DISCONNECT / 2, 'half of what was sent to have gone upstream')
          : () => waitFor(() => spooledBytes(proxy.pid) >= SENT_BEFORE_DISCONNECT, 'the spool to hold what was sent');
      };
      const rgwPath = (key: string): string => `/${bucket}/${encodeKey(key)}`;
      // A new key: nothing may appear.
      const newKey = `cut/${payload}/never.bin`;
      const newId = nextId(`new-${payload}`);
      const upBeforeCuts = relay.upBytes();
      await putThenDisconnect(proxy.port, `/${payload}/${encodeKey(newKey)}`, body, DECLARED, SENT_BEFORE_DISCONNECT, newId, delivered());
      const newLine = await accessLineFor(proxy, newId);
      assert.equal(newLine.aborted, true, `logged as aborted: ${JSON.stringify(newLine)}`);
      // An existing key: the previous version stays whole.
      const oldId = nextId(`overwrite-${payload}`);
      const replacement = generatedBytes(DECLARED, `writes-dd/${payload}/replacement`);
      await putThenDisconnect(proxy.port, `/${payload}/${encodeKey(wholeKey)}`, replacement, DECLARED, SENT_BEFORE_DISCONNECT, oldId, delivered());
      await accessLineFor(proxy, oldId);

      if (streamed) {
        // Look only once RGW is done with both cut requests: it logs each when it has finished
        // (whole.bin: the control upload above, then the cut overwrite).
        await waitFor(() => rgwDone(rgw, 'PUT', rgwPath(newKey)) === 1 && rgwDone(rgw, 'PUT', rgwPath(wholeKey)) === 2, "RGW's log lines for the two cut uploads");
      } else {
        assert.equal(relay.upBytes(), upBeforeCuts, 'a spooled upload that was cut sends nothing upstream');
      }
      const headNew = await directHead(rgw, bucket, newKey);
      assert.equal(headNew.status, 404, `an interrupted upload left an object in RGW: ${JSON.stringify(headNew)}`);
      assert.deepEqual(await directHead(rgw, bucket, wholeKey), { status: 200, length: String(DECLARED), etag: `"${md5Hex(body)}"` }, 'the interrupted overwrite changed the object');
      const list = await signedRequest(rgw, 'GET', `/${bucket}?prefix=${encodeURIComponent(`cut/${payload}/`)}`);
      assert.equal(list.status, 200);
      assert.deepEqual([...list.body.toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]), [wholeKey], 'only the whole upload is listed');
    });

    await t.test(`payload: ${payload}: a chunked upload (no Content-Length) is spooled and stored byte-exact`, async () => {
      const size = 3 * MiB + 17;
      const data = generatedBytes(size, `writes-dd/${payload}/chunked`);
      const key = `chunked/${payload}/index 1.m3u8`;
      const path = `/${payload}/${encodeKey(key)}`;
      const reqId = nextId(`chunked-${payload}`);
      const put = await streamUpload(proxy.port, { path, body: irregularPieces(data), headers: { 'content-type': 'application/octet-stream', 'x-request-id': reqId, 'transfer-encoding': 'chunked' } });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.headers.etag, `"${md5Hex(data)}"`, 'RGW hashed exactly the uploaded bytes');
      const line = await accessLineFor(proxy, reqId);
      assert.equal(line.bytesIn, size, 'the proxy counted the spooled body');
      assert.equal(line.upstreamStatus, 200);
      assert.deepEqual(await directHead(rgw, bucket, key), { status: 200, length: String(size), etag: `"${md5Hex(data)}"` });
      const get = await raw(proxy.port, { path });
      assert.equal(get.status, 200);
      assert.equal(get.body.length, size);
      assert.equal(sha256Hex(get.body), sha256Hex(data));

      // The same through a streamed generator of a size that is not a multiple of 64 KiB chunks
      // either, to check nothing depends on the test holding the body.
      const key2 = `chunked/${payload}/stream.bin`;
      const size2 = 5 * MiB - 1;
      const sha = createHash('sha256');
      const put2 = await streamUpload(proxy.port, {
        path: `/${payload}/${encodeKey(key2)}`,
        body: generatedBody(size2, `writes-dd/${payload}/chunked2`, { hashes: [sha], chunk: 100_000 }),
        headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
      });
      assert.equal(put2.status, 200, put2.text);
      const get2 = await raw(proxy.port, { path: `/${payload}/${encodeKey(key2)}` });
      assert.equal(get2.body.length, size2);
      assert.equal(sha256Hex(get2.body), sha.digest('hex'));
    });
  }
  t.diagnostic(`total ${Date.now() - started} ms`);
});
