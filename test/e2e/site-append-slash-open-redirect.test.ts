// Regression (found by a hostile-viewer hunt): site.appendSlash answered `GET //evil.example` with
// `Location: //evil.example/` and `GET /\evil.example` with `Location: /\evil.example/`, which a
// browser follows to https://evil.example/ (RFC 3986 §4.2) — when the bucket holds such a folder.
// The Location now encodes that second character; followed, it is the same folder's index.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { inProcessProxy } from '../support/cache-fixture.js';
import { rawSocket } from '../support/origin-client.js';
import { blockFor } from '../support/proxy-cli.js';

const KEYS = { accessKeyId: 'AKIDSITEREDIRECT001', secretAccessKey: 'site/redirect+secret=KEY/0123456789' };
const BUCKET = 'site-bucket';

/** One raw GET (the target exactly as given): its status, Location and body. */
async function rawGet(port: number, target: string): Promise<{ status: number; location: string | undefined; body: string }> {
  const r = await rawSocket(port, `GET ${target} HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n`);
  const [head = '', body = ''] = r.text.split('\r\n\r\n');
  return { status: r.status, location: /\r\nlocation: ([^\r\n]*)/i.exec(head)?.[1], body };
}

test('appendSlash never redirects to another host', async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  for (const k of ['/evil.example/index.html', '\\evil.example/index.html', 'docs/index.html']) await origin.putObject(BUCKET, k, `index of ${k}\n`);
  const proxy = await inProcessProxy(t, [blockFor(origin.port, { path: '/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS, extra: { site: { index: 'index.html', appendSlash: true } } })]);

  for (const [target, key] of [['//evil.example', '/evil.example/index.html'], ['/\\evil.example', '\\evil.example/index.html'], ['/docs?x=1', 'docs/index.html']] as const) {
    const r = await rawGet(proxy.port, target);
    assert.equal(r.status, 302, target);
    const location = r.location!;
    assert.equal(new URL(location, 'https://www.example.com/').host, 'www.example.com', `${target} → ${location}`);
    const followed = await rawGet(proxy.port, location);
    assert.equal(followed.status, 200, `${location}: ${followed.body.slice(0, 200)}`);
    assert.equal(followed.body, `index of ${key}\n`, `${location} is the folder ${target} named`);
  }
});
