// An aws-chunked upload that is wrong — a trailing checksum that does not match, framing that does
// not add up, a trailer the proxy cannot check or that x-amz-trailer did not announce — is answered with a 400 naming why, and the store
// keeps nothing of it (the last bytes are held back until the checksum is checked), in every
// payload mode: streamed to the store, spooled for its SHA-256, re-framed by the proxy.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { awsChecksum, awsChunkedFrames } from '../support/aws-chunked-frames.js';
import { raw } from '../support/origin-client.js';
import { writeBlock, type PayloadMode } from '../support/writes-helpers.js';

const DATA = Buffer.from('x'.repeat(40_000) + 'the end');
/** A well-formed CRC32 that is not DATA's. */
const WRONG_CRC32 = 'IK9o4g==';

/** DATA's framing as an SDK streams it: two chunks, the first of 20,000 bytes, then `trailers`. */
const framed = (data: Buffer, trailers: string[]): Buffer => awsChunkedFrames([data.subarray(0, 20_000), data.subarray(20_000)], { trailers });

const sdkHeaders = (body: Buffer, decoded: number | undefined, trailer = 'x-amz-checksum-crc32'): Record<string, string | number> => ({
  'content-encoding': 'aws-chunked',
  'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'x-amz-trailer': trailer,
  ...(decoded === undefined ? {} : { 'x-amz-decoded-content-length': decoded }),
  'content-length': body.length,
});

test('wrong aws-chunked uploads are refused and never stored', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const modes: PayloadMode[] = ['unsigned', 'sha256', 'streaming'];
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: modes.map((payload) => writeBlock(origin.port, { path: `/${payload}/`, bucket: BUCKET, credentials: KEYS, payload, keyPrefix: `${payload}/` })),
  });

  /**
   * The viewer's answer can come before the store is done with what it got: wait for the store's
   * own answer to each request for `key` (status 0 until then), then a moment for it to commit.
   */
  const settled = async (key: string): Promise<void> => {
    const open = (): boolean => origin.requests.some((r) => r.url.includes(key) && r.status === 0);
    for (const until = Date.now() + 2000; open() && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 50));
  };

  const rightCrc32 = await awsChecksum('CRC32', DATA);
  for (const mode of modes) {
    const cases: Array<{ what: string; body: Buffer; headers: Record<string, string | number>; code: string; reason: RegExp; reaches: boolean }> = [
      // Regression (hunt, 2026-12-07): a wrong checksum trailer that x-amz-trailer did not name went unchecked and the upload was kept.
      { what: 'a *-TRAILER upload without x-amz-trailer', body: framed(DATA, [`x-amz-checksum-crc32:${WRONG_CRC32}`]), headers: { 'x-amz-trailer': undefined as unknown as string }, code: 'OS_ERR_BAD_AWS_CHUNKED', reason: /needs x-amz-trailer/, reaches: false },
      { what: 'a checksum trailer beside the announced one', body: framed(DATA, [`x-amz-checksum-crc32:${rightCrc32}`, 'x-amz-checksum-sha256:AAAA']), headers: {}, code: 'OS_ERR_BAD_AWS_CHUNKED', reason: /"x-amz-checksum-sha256" trailer that x-amz-trailer did not announce/, reaches: mode !== 'sha256' },
      { what: 'a CRC32 trailer that does not match', body: framed(DATA, [`x-amz-checksum-crc32:${WRONG_CRC32}`]), headers: {}, code: 'OS_ERR_CHECKSUM_MISMATCH', reason: /x-amz-checksum-crc32 trailer \(IK9o4g==\) does not match its body/, reaches: mode !== 'sha256' },
      { what: 'fewer bytes than x-amz-decoded-content-length', body: framed(DATA, ['x-amz-checksum-crc32:AAAAAA==']), headers: { 'x-amz-decoded-content-length': DATA.length + 5 }, code: 'OS_ERR_BAD_AWS_CHUNKED', reason: /holds 40007 bytes, not its x-amz-decoded-content-length \(40012\)/, reaches: mode !== 'sha256' },
      { what: 'a chunk header that is no size', body: Buffer.concat([framed(DATA, []).subarray(0, 20_010), Buffer.from('zz\r\n')]), headers: {}, code: 'OS_ERR_BAD_AWS_CHUNKED', reason: /chunk header|longer than its size/, reaches: mode !== 'sha256' },
      { what: 'no x-amz-decoded-content-length', body: framed(DATA, []), headers: { 'x-amz-decoded-content-length': undefined as unknown as string }, code: 'OS_ERR_BAD_AWS_CHUNKED', reason: /needs x-amz-decoded-content-length/, reaches: false },
      // Nothing to hold back: the store must not have been sent a complete (empty) PUT before the framing is seen to be cut.
      { what: 'an empty object whose framing is cut', body: Buffer.from('0\r\n'), headers: { 'x-amz-decoded-content-length': 0, 'x-amz-trailer': undefined as unknown as string, 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD' }, code: 'OS_ERR_BAD_AWS_CHUNKED', reason: /ended before its final chunk/, reaches: mode !== 'sha256' },
      { what: 'a trailer the proxy cannot check', body: framed(DATA, ['x-amz-checksum-md5:xxx']), headers: { 'x-amz-trailer': 'x-amz-checksum-md5' }, code: 'OS_ERR_BAD_AWS_CHUNKED', reason: /x-amz-trailer names "x-amz-checksum-md5"/, reaches: false },
    ];
    for (const c of cases) {
      await t.test(`payload: ${mode}: ${c.what}`, async () => {
        const key = `${mode}-${c.what.replace(/\W+/g, '-')}.ts`;
        const before = origin.requests.length;
        const headers = Object.fromEntries(Object.entries({ ...sdkHeaders(c.body, DATA.length), ...c.headers }).filter(([, v]) => v !== undefined));
        const res = await raw(proxy.port, { method: 'PUT', path: `/${mode}/${key}`, headers, body: c.body });
        assert.equal(res.status, 400, res.text);
        // An SDK's request (x-amz-content-sha256): the refusal in S3's XML error shape.
        assert.equal(res.headers['content-type'], 'application/xml');
        assert.equal(/<Code>([^<]*)<\/Code>/.exec(res.text)?.[1], c.code);
        const message = (/<Message>([^<]*)<\/Message>/.exec(res.text)?.[1] ?? '').replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
        assert.match(message, c.reason);
        await settled(key);
        assert.equal(await origin.getObject(BUCKET, `${mode}/${key}`), undefined, 'nothing stored');
        // Refused before anything was sent, or sent and cut short: the store never completed a write.
        const reached = origin.requests.slice(before);
        if (!c.reaches) assert.deepEqual(reached, []);
        for (const r of reached) assert.notEqual(r.status, 200, `the store answered ${r.method} ${r.url} with 200`);
      });
    }
  }

  // Review finding: the chunks so far add up to the declared length, then one more arrives — sent
  // apart, so the first bytes are on their way to the store before the rest comes.
  for (const mode of modes) {
    await t.test(`payload: ${mode}: more bytes than declared, the last chunk sent late, is never stored`, async () => {
      const key = `${mode}-late-extra.ts`;
      const first = Buffer.from(`${(5).toString(16)}\r\nhello\r\n`);
      const rest = Buffer.from('1\r\nX\r\n0\r\n\r\n');
      const head = `PUT /${mode}/${key} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Encoding: aws-chunked\r\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD\r\nx-amz-decoded-content-length: 5\r\nContent-Length: ${first.length + rest.length}\r\nConnection: close\r\n\r\n`;
      const answer = await new Promise<string>((resolve, reject) => {
        // The head alone first, so the upload is on its way to the store (reading its body) before any of it comes.
        const sock = connect(proxy.port, '127.0.0.1', () => {
          sock.write(head);
          setTimeout(() => sock.write(first), 200);
          setTimeout(() => sock.write(rest), 400);
        });
        let got = '';
        sock.on('data', (c: Buffer) => (got += c.toString('latin1')));
        sock.on('close', () => resolve(got));
        sock.on('error', reject);
      });
      assert.match(answer, /^HTTP\/1\.1 400 /);
      assert.match(answer, /<Code>OS_ERR_BAD_AWS_CHUNKED<\/Code>/);
      await settled(key);
      assert.equal(await origin.getObject(BUCKET, `${mode}/${key}`), undefined, 'nothing stored');
    });
  }

  await t.test('a right checksum after all that: stored', async () => {
    const body = framed(DATA, [`x-amz-checksum-crc32:${await awsChecksum('CRC32', DATA)}`]);
    const res = await raw(proxy.port, { method: 'PUT', path: '/unsigned/right.ts', headers: sdkHeaders(body, DATA.length), body });
    assert.equal(res.status, 200, res.text);
    assert.ok((await origin.getObject(BUCKET, 'unsigned/right.ts'))?.equals(DATA));
  });
});
