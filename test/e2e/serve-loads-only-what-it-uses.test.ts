// Resident memory is part of the product (README "Memory"): modules a serving proxy never uses
// must not be loaded. Fastify loads Ajv and fast-json-stringify for route schemas unless it is
// given compilers (src/server/fastify-options.ts; neither listener declares a schema); the shield
// cache's disk and shared tiers load cacache and ioredis only when configured. Checked on the CLI
// as users run it, after it served a request and a scrape of the admin listener.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { fixture } from '../support/paths.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

test('serving loads neither Ajv nor fast-json-stringify\'s compiler, nor the cache tiers it is not given', async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'hello.txt', Buffer.from('hello'));
  const probeFile = join(mkdtempSync(join(tmpdir(), 'os-module-probe-')), 'modules.json');
  const proxy = await startProxyCli(
    t,
    { server: { host: '127.0.0.1', port: 0 }, proxies: [blockFor(origin.port, { path: '/b/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS })] },
    { NODE_OPTIONS: `--require ${fixture('module-probe.cjs')}`, MODULE_PROBE_FILE: probeFile },
  );
  assert.equal(await (await fetch(`${proxy.url}/b/hello.txt`)).text(), 'hello');
  for (const path of ['/healthz', '/metrics']) assert.equal((await fetch(`${proxy.adminUrl}${path}`)).status, 200);
  assert.equal((await fetch(`${proxy.adminUrl}/nothing-here`)).status, 404, 'Fastify still answers unknown admin paths');
  assert.equal(await proxy.stop(), 0);

  const loaded = JSON.parse(readFileSync(probeFile, 'utf8')) as string[];
  const packages = new Set(loaded.flatMap((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1] ?? []));
  t.diagnostic(`${loaded.length} CommonJS files from ${packages.size} packages`);
  assert.ok(packages.has('fastify') && packages.has('undici'), 'the probe sees the packages that are used');
  for (const unused of ['ajv', 'ajv-formats', '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler', 'cacache', 'ioredis']) {
    assert.equal(packages.has(unused), false, `${unused} was loaded`);
  }
});
