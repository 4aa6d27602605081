/**
 * Large objects stream in and out without being held in memory: a 64 MiB
 * body generated on the fly is PUT (UNSIGNED-PAYLOAD), stored as one file
 * (objectPath), and read back — whole and as a Range — with matching hashes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import { BUCKET, origin, signAws4 } from '../../support/origin-client.js';

const SIZE = 64 * 1024 * 1024;
const block = (i: number) => Buffer.alloc(1024 * 1024, i % 251);

test('64 MiB PUT and GET are streamed', async (t) => {
  const o = await origin(t);
  const { path, headers } = signAws4(o.port, {
    method: 'PUT',
    path: `/${BUCKET}/big.bin`,
    headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD', 'Content-Length': String(SIZE) },
  });
  const expected = createHash('sha256');
  const status = await new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: o.port, method: 'PUT', path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    let i = 0;
    const pump = (): void => {
      while (i < 64) {
        const b = block(i++);
        expected.update(b);
        if (!req.write(b)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
  assert.equal(status, 200);
  const file = o.objectPath(BUCKET, 'big.bin');
  assert.ok(file);
  assert.equal((await stat(file)).size, SIZE);

  const get = signAws4(o.port, { path: `/${BUCKET}/big.bin` });
  const got = await new Promise<{ hash: string; len: number }>((resolve, reject) => {
    const h = createHash('sha256');
    let len = 0;
    request({ host: '127.0.0.1', port: o.port, path: get.path, headers: get.headers, agent: false }, (res) => {
      res.on('data', (c: Buffer) => {
        h.update(c);
        len += c.length;
      });
      res.on('end', () => resolve({ hash: h.digest('hex'), len }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
  assert.equal(got.len, SIZE);
  assert.equal(got.hash, expected.digest('hex'));
});
