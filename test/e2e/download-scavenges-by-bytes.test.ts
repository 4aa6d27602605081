// A large download asks for a young-generation collection every 2 MiB it passes on (scavenger.ts,
// README "Memory"): a timer alone let up to 10 MiB of dead socket buffers pile up between two
// ticks, because libuv reads many chunks per socket in one event-loop turn. Run through the CLI as
// users run it (`bin/origin-signer` passes --expose-gc), with a preload that counts the gc() calls
// made from the byte trigger. Small bodies never report their bytes.
import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { startStrictOrigin } from '../../src/strict-origin/server.js';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { fixture } from '../support/paths.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

const MiB = 1024 * 1024;

interface GcCounts {
  minor: number;
  minorByBytes: number;
  major: number;
}

async function download(url: string): Promise<number> {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  let bytes = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) bytes += chunk.length;
  return bytes;
}

async function gcCountsFor(t: TestContext, objects: Record<string, number>, get: string[]): Promise<GcCounts> {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  for (const [key, size] of Object.entries(objects)) await origin.putObject(BUCKET, key, randomFillSync(Buffer.allocUnsafe(size)));
  const probeFile = join(mkdtempSync(join(tmpdir(), 'os-gc-probe-')), 'counts.json');
  const proxy = await startProxyCli(
    t,
    { server: { host: '127.0.0.1', port: 0 }, proxies: [blockFor(origin.port, { path: '/b/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS })] },
    { NODE_OPTIONS: `--require ${fixture('gc-probe.cjs')}`, GC_PROBE_FILE: probeFile },
  );
  for (const key of get) assert.equal(await download(`${proxy.url}/b/${key}`), objects[key]);
  assert.equal(await proxy.stop(), 0);
  return JSON.parse(readFileSync(probeFile, 'utf8')) as GcCounts;
}

test('a 32 MiB download asks for a minor collection every 2 MiB it passes on', async (t) => {
  const counts = await gcCountsFor(t, { 'big.bin': 32 * MiB }, ['big.bin']);
  t.diagnostic(`gc calls: ${JSON.stringify(counts)}`);
  assert.equal(counts.minorByBytes, 16, '32 MiB / 2 MiB');
});

test('small downloads report no bytes: no collection by bytes for 40 objects of 512 KiB (20 MiB in all)', async (t) => {
  const objects = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`small-${i}.bin`, 512 * 1024]));
  const counts = await gcCountsFor(t, objects, Object.keys(objects));
  t.diagnostic(`gc calls: ${JSON.stringify(counts)}`);
  assert.equal(counts.minorByBytes, 0);
  assert.equal(counts.minor, 0, 'and no timer either: none of them is a large body');
});
