/**
 * Expect: 100-continue is answered only once the request is authenticated:
 * a signed PUT gets "100 Continue" and stores the body; an anonymous one gets
 * its 403 straight away, without a 100.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { BUCKET, origin, signAws4 } from '../../support/origin-client.js';

function putWithExpect(port: number, path: string, headers: Record<string, string>, body: string) {
  return new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
    let continued = false;
    const req = request(
      { host: '127.0.0.1', port, method: 'PUT', path, headers: { ...headers, Expect: '100-continue', 'Content-Length': String(body.length) }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, continued }));
      },
    );
    req.on('continue', () => {
      continued = true;
      req.end(body);
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

test('a signed PUT receives 100 Continue and is stored', async (t) => {
  const o = await origin(t);
  const { path, headers } = signAws4(o.port, { method: 'PUT', path: `/${BUCKET}/k`, headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' } });
  const r = await putWithExpect(o.port, path, headers, 'continued body');
  assert.deepEqual(r, { status: 200, continued: true });
  assert.equal((await o.getObject(BUCKET, 'k'))?.toString(), 'continued body');
});

test('an anonymous PUT is refused without 100 Continue', async (t) => {
  const o = await origin(t);
  const r = await putWithExpect(o.port, `/${BUCKET}/k`, { Host: `127.0.0.1:${o.port}` }, 'never sent');
  assert.deepEqual(r, { status: 403, continued: false });
  assert.equal(o.requests[0]?.bytesIn, 0);
});
