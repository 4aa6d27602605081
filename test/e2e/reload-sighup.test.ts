// README "Reloading the config", through the CLI: (a) SIGHUP with a config that adds a block while a
// 100 MiB download is in flight — the download completes byte-exact on the old config, the new block
// serves right after "config reloaded", the old block still serves; (b) an invalid file + SIGHUP is
// refused with its problems (file:line) and the running config keeps serving; (c) static keys changed
// in the file take effect on SIGHUP; (d) with server.watchConfig: true an atomic rewrite (temp file +
// rename) reloads without a signal — twice, so the watch survives the inode change.
import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { startStrictOrigin, type StrictOrigin } from '@origin-signer/strict-origin';
import { configFileOf, replaceFileAtomically, sleep } from '../support/creds-helpers.js';
import { sha256Hex } from '../support/generated-body.js';
import { raw } from '../support/origin-client.js';
import { blockFor, startProxyCli, type ProxyProcess } from '../support/proxy-cli.js';
import { heldDownload } from '../support/ops-download.js';
import { waitForLog } from '../support/access-lines.js';
import { MiB } from '../support/sizes.js';

const BUCKET = 'reload-bucket';
const OLD_KEYS = { accessKeyId: 'AKIDRELOADOLD00001', secretAccessKey: 'reload/OLD+secret=0123456789abcdef' };
const NEW_KEYS = { accessKeyId: 'AKIDRELOADNEW00002', secretAccessKey: 'reload/NEW+secret=fedcba9876543210' };

const configWith = (origin: StrictOrigin, blocks: Array<{ path: string; keyPrefix?: string }>, extra: { keys?: typeof OLD_KEYS; watchConfig?: boolean } = {}): Record<string, unknown> => ({
  server: { host: '127.0.0.1', port: 0, ...(extra.watchConfig ? { watchConfig: true } : {}) },
  credentials: { reader: extra.keys ?? OLD_KEYS },
  proxies: blocks.map((b) => blockFor(origin.port, { path: b.path, bucket: BUCKET, version: 'v4', mode: 'header', credentials: 'reader', ...(b.keyPrefix ? { keyPrefix: b.keyPrefix } : {}) })),
});

const logIndex = (proxy: ProxyProcess): number => proxy.logs().length;

async function sighupAndWait(proxy: ProxyProcess, msg: RegExp): Promise<Record<string, unknown>> {
  const from = logIndex(proxy);
  process.kill(proxy.pid, 'SIGHUP');
  return waitForLog(proxy, (l) => typeof l.msg === 'string' && /^config reload/.test(l.msg) && msg.test(l.msg), 15_000, from);
}

test('SIGHUP reloads: in-flight download survives, bad files are refused, new static keys apply', { timeout: 180_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [OLD_KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const big = randomFillSync(Buffer.allocUnsafe(100 * MiB));
  const bigSha = sha256Hex(big);
  await origin.putObject(BUCKET, 'big.bin', big, { contentType: 'application/octet-stream' });
  await origin.putObject(BUCKET, 'hello.txt', 'hello\n', { contentType: 'text/plain' });
  await origin.putObject(BUCKET, 'new/hello.txt', 'hello from the new block\n', { contentType: 'text/plain' });

  const proxy = await startProxyCli(t, configWith(origin, [{ path: '/old/' }]));
  const file = configFileOf(proxy);

  await t.test('(a) a 100 MiB download in flight completes byte-exact while SIGHUP adds a block', async () => {
    const before = await raw(proxy.port, { path: '/new/hello.txt' });
    assert.equal(before.status, 404, 'no /new/ block yet');
    assert.equal((JSON.parse(before.text) as { error: string }).error, 'OS_ERR_NO_ROUTE');

    const dl = heldDownload(proxy.port, '/old/big.bin', 8 * MiB);
    await dl.held;
    writeFileSync(file, stringify(configWith(origin, [{ path: '/old/' }, { path: '/new/', keyPrefix: 'new/' }])));
    const reloaded = await sighupAndWait(proxy, /^config reloaded$/);
    assert.ok(dl.received() < 100 * MiB, 'the download was still in flight at the swap');
    assert.equal(reloaded.config, file);

    const fresh = await raw(proxy.port, { path: '/new/hello.txt' });
    assert.equal(fresh.status, 200, fresh.text);
    assert.equal(fresh.text, 'hello from the new block\n');
    const old = await raw(proxy.port, { path: '/old/hello.txt' });
    assert.equal(old.status, 200, old.text);

    dl.resume();
    const got = await dl.done;
    assert.equal(got.status, 200);
    assert.equal(Number(got.headers['content-length']), big.length);
    assert.equal(got.bytes, big.length);
    assert.equal(got.sha256, bigSha, 'byte-exact');
  });

  await t.test('(b) an invalid file + SIGHUP is refused with file:line problems; the previous config keeps serving', async () => {
    writeFileSync(
      file,
      `server:
  host: 127.0.0.1
  port: 0
  colour: blue
credentials:
  reader: { accessKeyId: ${OLD_KEYS.accessKeyId}, secretAccessKey: "${OLD_KEYS.secretAccessKey}" }
proxies:
  - path: /old/
    upstream: { bucket: Not_A_Bucket, region: us-east-1, endpoint: "http://localhost:${origin.port}" }
    credentials: reader
`,
    );
    const refused = await sighupAndWait(proxy, /^config reload refused; still serving the previous config$/);
    const problems = refused.problems as string[];
    assert.ok(Array.isArray(problems) && problems.length === 2, JSON.stringify(problems));
    assert.ok(problems.some((p) => p.startsWith(`${file}:4:`) && p.includes('server.colour: unknown key "colour"')), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith(`${file}:9:`) && p.includes('proxies[0].upstream.bucket')), problems.join('\n'));
    assert.equal(refused.level, 'error');
    for (const path of ['/old/hello.txt', '/new/hello.txt']) {
      const res = await raw(proxy.port, { path });
      assert.equal(res.status, 200, `${path}: ${res.text}`);
    }
  });

  await t.test('(c) static keys changed in the file take effect on SIGHUP', async () => {
    origin.setCredentials([NEW_KEYS]); // the old key is revoked at the store
    const stale = await raw(proxy.port, { path: '/old/hello.txt' });
    assert.equal(stale.status, 403, 'the old key no longer works');
    assert.match(stale.text, /InvalidAccessKeyId/);
    assert.equal(origin.requests.at(-1)!.accessKeyId, OLD_KEYS.accessKeyId);

    writeFileSync(file, stringify(configWith(origin, [{ path: '/old/' }, { path: '/new/', keyPrefix: 'new/' }], { keys: NEW_KEYS })));
    await sighupAndWait(proxy, /^config reloaded$/);
    for (const path of ['/old/hello.txt', '/new/hello.txt']) {
      const res = await raw(proxy.port, { path });
      assert.equal(res.status, 200, `${path}: ${res.text}`);
      assert.equal(origin.requests.at(-1)!.accessKeyId, NEW_KEYS.accessKeyId);
    }
  });
});

test('server.watchConfig: an atomic rewrite of the file (temp + rename) reloads without a signal', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [OLD_KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'hello.txt', 'hello\n', { contentType: 'text/plain' });
  const proxy = await startProxyCli(t, configWith(origin, [{ path: '/one/' }], { watchConfig: true }));
  const file = configFileOf(proxy);
  assert.equal((await raw(proxy.port, { path: '/two/hello.txt' })).status, 404);

  for (const [i, blocks] of [
    [1, [{ path: '/one/' }, { path: '/two/' }]],
    [2, [{ path: '/one/' }, { path: '/two/' }, { path: '/three/' }]],
  ] as const) {
    const from = logIndex(proxy);
    // The poll compares mtime, size and inode; make sure a second has passed for coarse mtimes.
    await sleep(1100);
    replaceFileAtomically(file, configWith(origin, [...blocks], { watchConfig: true }));
    await waitForLog(proxy, (l) => l.msg === 'config file changed', 10_000, from);
    await waitForLog(proxy, (l) => l.msg === 'config reloaded', 10_000, from);
    const newest = blocks.at(-1)!.path;
    const res = await raw(proxy.port, { path: `${newest}hello.txt` });
    assert.equal(res.status, 200, `rewrite ${i}: ${newest} ${res.text}`);
    assert.equal((await raw(proxy.port, { path: '/one/hello.txt' })).status, 200);
  }
  assert.ok(!proxy.logs().some((l) => typeof l.msg === 'string' && l.msg.startsWith('SIGHUP')), 'no signal was involved');
});
