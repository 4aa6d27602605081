// Issue #20, Done when: listings against Ceph RGW. The awkward-key table and a 2,500-key folder are
// stored directly in RGW (SigV4 via aws4, independent of src/), then listed through the CLI proxy
// (site.listing) in all four signing modes: RGW's own ListObjectsV2 / ListObjects answers with
// encoding-type=url, continuation tokens and markers. Every key is listed once under its own name,
// and every listed link, followed as a browser does, fetches its object byte for byte.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { AWKWARD_KEYS } from '../support/awkward-keys.js';
import { raw } from '../support/origin-client.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { createBucket, encodeKey, rgwSkipReason, signedRequest, startRgw } from '../support/rgw.js';
import { RGW_MODES, rgwBlock } from '../support/rgw-proxy.js';
import { crawl, follow, rowsOf } from '../support/site-e2e.js';

const MANY = 2500;
const manyName = (i: number): string => `f-${String(i).padStart(5, '0')}.txt`;
const bodyOf = (key: string): Buffer => Buffer.concat([Buffer.from(`${key}\n`), createHash('sha256').update(key).digest()]);

/** `tasks` run `n` at a time. */
async function inParallel<T>(items: readonly T[], n: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await task(items[next++]!);
  }));
}

test('listings through the proxy in front of Ceph RGW: awkward keys and a 2,500-key folder', { skip: rgwSkipReason(), timeout: 600_000 }, async (t) => {
  const started = Date.now();
  const rgw = await startRgw();
  t.after(() => rgw.stop());
  const bucket = `site-${randomBytes(4).toString('hex')}`;
  await createBucket(rgw, bucket);
  const keys = [...AWKWARD_KEYS, ...Array.from({ length: MANY }, (_, i) => `many/${manyName(i)}`)];
  await inParallel(keys, 16, async (key) => {
    const put = await signedRequest(rgw, 'PUT', `/${bucket}/${encodeKey(key)}`, { body: bodyOf(key) });
    assert.equal(put.status, 200, `PUT ${JSON.stringify(key)}: ${put.body.toString('utf8')}`);
  });
  t.diagnostic(`RGW up and ${keys.length} keys stored in ${Date.now() - started} ms`);

  const proxy = await startProxyCli(t, {
    log: { level: 'info' },
    server: { host: '127.0.0.1', port: 0 },
    proxies: RGW_MODES.map((m) => ({ ...rgwBlock(rgw, { path: m.prefix, bucket, version: m.version, mode: m.mode }), site: { listing: true } })),
  });

  for (const m of RGW_MODES) {
    await t.test(`${m.version} ${m.mode}: the awkward-key table`, async () => {
      const { objects, folders } = await crawl(proxy.port, m.prefix);
      for (const [folder, res] of folders) assert.equal(res.status, 200, `folder ${JSON.stringify(folder)}: ${res.text.slice(0, 300)}`);
      const expected = [...AWKWARD_KEYS.filter((k) => !k.endsWith('/')), ...Array.from({ length: MANY }, (_, i) => `many/${manyName(i)}`)];
      assert.deepEqual([...objects.keys()].sort(), expected.sort(), 'every key once, under its own name');
      assert.deepEqual(rowsOf(folders.get('trailing/slash/')!.text), [], 'a marker-only folder: listed, empty');
      for (const key of AWKWARD_KEYS.filter((k) => !k.endsWith('/'))) {
        const path = objects.get(key)!;
        const got = await raw(proxy.port, { path });
        assert.equal(got.status, 200, `${JSON.stringify(key)} via ${path}: ${got.text.slice(0, 200)}`);
        assert.ok(got.body.equals(bodyOf(key)), `${JSON.stringify(key)} via ${path}: its body`);
      }
    });
  }

  for (const m of RGW_MODES) {
    await t.test(`${m.version} ${m.mode}: 2,500 keys over three pages, every link fetching its object`, async () => {
      const logBefore = (await readFile(rgw.logFile, 'utf8')).length;
      const json = await raw(proxy.port, { path: `${m.prefix}many/`, headers: { accept: 'application/json' } });
      assert.equal(json.status, 200, json.text.slice(0, 300));
      const entries = (JSON.parse(json.text) as { entries: Array<{ name: string; type: string; size: number }> }).entries;
      assert.deepEqual(entries.map((e) => e.name), Array.from({ length: MANY }, (_, i) => manyName(i)), 'every key, in order');
      assert.ok(entries.every((e) => e.type === 'object' && e.size === bodyOf(`many/${e.name}`).length), 'sizes');
      // RGW's access lines, written once it is done with a request: the signed list requests it served.
      await new Promise((r) => setTimeout(r, 200));
      const lines = (await readFile(rgw.logFile, 'utf8')).slice(logBefore).split('\n').filter((l) => l.includes('beast:') && l.includes(`GET /${bucket}/?`));
      t.diagnostic(`${m.prefix}: ${lines.length} list requests at RGW`);
      assert.equal(lines.length, 3, 'three list requests at RGW');
      assert.ok(lines.every((l) => / 200 /.test(l)), lines.join('\n'));

      const html = await raw(proxy.port, { path: `${m.prefix}many/` });
      const rows = rowsOf(html.text);
      assert.equal(rows.length, MANY);
      await inParallel(rows, 8, async (row) => {
        const path = follow(`${m.prefix}many/`, row.href);
        const got = await raw(proxy.port, { path });
        assert.equal(got.status, 200, `${row.name} via ${path}`);
        assert.ok(got.body.equals(bodyOf(`many/${row.name}`)), `${row.name}: its body`);
      });
    });
  }
});
