// README "Operations → Status page": the admin listener's GET / opened in headless Chromium after
// real traffic through the proxy in front of the strict origin. The rendered page shows each
// block's requests by status class, each credential set with its source and expiry, the config's
// hash, and never a secret. Without Chromium (scripts/chromium/install.sh) the test is skipped,
// loudly — except under CI=true, where it fails.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { configFileOf } from '../support/creds-helpers.js';
import { sha256Hex } from '../support/generated-body.js';
import { startObservedProxy } from '../support/ops-traffic.js';

function which(cmd: string): Promise<string | undefined> {
  return new Promise((resolve) => execFile('sh', ['-c', `command -v ${cmd}`], (err, out) => resolve(err ? undefined : out.trim() || undefined)));
}

/** The DOM after the page loaded, as Chromium serialises it. */
function dumpDom(chromium: string, url: string): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'os-chromium-'));
  // --no-sandbox: the test may run as root (CI containers), where Chromium's sandbox refuses to start.
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', `--user-data-dir=${profile}`, '--dump-dom', url];
  return new Promise((resolve, reject) =>
    execFile(chromium, args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      rmSync(profile, { recursive: true, force: true });
      if (err) reject(new Error(`${chromium} failed: ${err.message}\n${stderr.slice(-2000)}`));
      else resolve(stdout);
    }),
  );
}

/** The text of each cell of the table row marked `attr="value"`. */
function row(dom: string, attr: string, value: string): string[] {
  const m = new RegExp(`<tr[^>]*${attr}="${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"[^>]*>([\\s\\S]*?)</tr>`).exec(dom);
  assert.ok(m, `a row ${attr}="${value}"`);
  return [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').trim());
}

test('the status page in headless Chromium shows the traffic, the credential sets and the config, no secret', { timeout: 120_000 }, async (t) => {
  const chromium = (await which('chromium')) ?? (await which('chromium-browser'));
  if (!chromium) {
    const why = 'Chromium is not installed (run scripts/chromium/install.sh): the status page was NOT checked in a browser';
    if (process.env.CI === 'true') assert.fail(why);
    console.warn(`\n*** SKIPPED: ${why} ***\n`);
    t.skip(why);
    return;
  }
  const { proxy, secrets } = await startObservedProxy(t);
  const dom = await dumpDom(chromium, `${proxy.adminUrl}/`);
  assert.match(dom, /<title>origin-signer status<\/title>/);

  // Blocks: header names, then the row's cells.
  const headers = [...(/<table id="blocks">([\s\S]*?)<\/tr>/.exec(dom)?.[1] ?? '').matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((h) => h[1]!.replace(/<[^>]+>/g, '').replace(/\s*\(.*\)$/, '').trim());
  const d = Object.fromEntries(headers.map((h, i) => [h, row(dom, 'data-block', '/d/')[i]]));
  assert.ok(Number(d.requests) > 0, `requests of /d/: ${d.requests}`);
  assert.equal(d.requests, '7', '3 GETs, the store\'s 404, an upload, the stalled viewer, the one that queued');
  assert.equal(d['2xx'], '5');
  assert.equal(d['4xx'], '1');
  assert.equal(d['5xx'], '1', 'OS_ERR_UPSTREAM_BUSY');
  assert.match(d['upstream p50']!, /^\d+(\.\d+)? ms$/);
  assert.match(d['queue wait p99']!, /^\d+(\.\d+)? ms$/, 'a request waited for the connection');
  assert.match(d['bytes in']!, /^4\.0 KiB$/);
  const x = Object.fromEntries(headers.map((h, i) => [h, row(dom, 'data-block', '/x/')[i]]));
  assert.equal(x['upstream errors'], '1', 'the store that is down');

  // Credential sets: name, source, valid, expiry, last refresh.
  const box = row(dom, 'data-set', 'box');
  assert.deepEqual(box.slice(0, 3), ['box', 'instance-metadata', 'yes']);
  assert.match(box[3]!, /^\d{4}-\d\d-\d\dT.*\(in (59|60) min\)$/, `box expires in an hour: ${box[3]}`);
  assert.match(box[4]!, /ago\)$/, `box was refreshed: ${box[4]}`);
  const reader = row(dom, 'data-set', 'reader');
  assert.deepEqual(reader.slice(0, 4), ['reader', 'static', 'yes', 'never']);

  // The config: its file's sha256, short.
  const sha = sha256Hex(readFileSync(configFileOf(proxy))).slice(0, 12);
  assert.match(dom, new RegExp(`<code class="sha">${sha}</code>`));

  // No secret anywhere on the admin listener's page or its JSON.
  const json = await (await fetch(`${proxy.adminUrl}/status.json`)).text();
  assert.ok(secrets.length >= 3);
  for (const s of secrets) {
    assert.ok(!dom.includes(s), 'no secret in the page');
    assert.ok(!json.includes(s), 'no secret in status.json');
  }
  const status = JSON.parse(json) as { blocks: Array<{ path: string; requests: number }> };
  assert.equal(status.blocks.find((b) => b.path === '/d/')?.requests, 7);
});
