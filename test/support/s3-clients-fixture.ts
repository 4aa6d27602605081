// What the S3 clients' tests (rclone, s3cmd, the AWS CLI) start from: a block /live/ with
// listObjects and streaming writes under keyPrefix live/ over the strict origin, a key outside it,
// and a local folder of awkward files to sync.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { startStrictOrigin, type StrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from './modes-fixture.js';
import { startProxyCli } from './proxy-cli.js';
import { VIEWER } from './s3-clients.js';
import { writeBlock } from './writes-helpers.js';

/** Bytes that differ from file to file (`seed`) and within a file. */
export const bytes = (n: number, seed: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + seed + (i >> 12)) & 0xff));

export interface ClientsFixture {
  readonly dir: string;
  readonly origin: StrictOrigin;
  readonly proxy: { url: string; port: number };
  /** The local folder, holding `files`. */
  readonly src: string;
  readonly files: Readonly<Record<string, Buffer>>;
}

/** A 12 MiB file: over every client's multipart threshold (rclone's as set by the test, the AWS CLI's 8 MiB). */
export async function clientsFixture(t: TestContext, extra: Record<string, Buffer> = {}): Promise<ClientsFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'os-s3clients-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'secret.txt', 'outside the block');
  const block = writeBlock(origin.port, { path: '/live/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'live/', payload: 'streaming', methods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'] });
  block.listObjects = true;
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [block] });
  const src = join(dir, 'src');
  mkdirSync(join(src, 'seg'), { recursive: true });
  const files: Record<string, Buffer> = {
    'index.m3u8': Buffer.from('#EXTM3U\n'),
    'seg/000 a+b.ts': bytes(70_000, 1),
    'seg/vidéo.ts': bytes(1000, 2),
    'big.mp4': bytes(12 * 1024 * 1024, 3),
    ...extra,
  };
  // An hour old: `aws s3 sync` uploads a file again when it is newer than the stored copy, and the
  // store's Last-Modified has whole seconds, so a file written in the second of its upload was
  // uploaded again by the next sync, now and then.
  const anHourAgo = new Date(Date.now() - 3_600_000);
  for (const [name, data] of Object.entries(files)) {
    writeFileSync(join(src, name), data);
    utimesSync(join(src, name), anHourAgo, anHourAgo);
  }
  return { dir, origin, proxy, src, files };
}

/** The store never saw the client's keys, nor a request outside keyPrefix (path style: the path is bucket/key). */
export function assertStoreSawOnlyTheBlock(origin: StrictOrigin): void {
  for (const o of origin.requests) {
    assert.doesNotMatch(JSON.stringify(o), new RegExp(`${VIEWER.accessKeyId}|${VIEWER.secretAccessKey}`));
    assert.match(o.url, /^\/live\/|[?&]prefix=live%2F/, o.url);
  }
}
