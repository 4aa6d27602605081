// Regression (found by a hostile-viewer hunt): a listing of a block leaked the key names of a
// nested block guarded by its own access rules. The store's continuation token carried its last
// key (the strict origin, like MinIO, writes it there): `?list-type=2&max-keys=1&start-after=a.txt`
// answered a token naming `private/payroll.xlsx`. And a start-after just before a hidden name told
// whether it existed. Tokens are now the proxy's own, and start points inside a hidden prefix are
// moved past it: paging every way, no answer holds a hidden name or depends on one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { raw } from '../support/origin-client.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { writeBlock } from '../support/writes-helpers.js';

const HIDDEN = ['private/payroll-2026.xlsx', 'private/z-secret-plan.pdf'];

test('a listing never names, nor depends on, what a nested block hides', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  // Keys with U+10FFFF right after a folder or the hidden prefix (review: the pages after them looped).
  for (const k of ['a.txt', ...HIDDEN, 'private/\u{10FFFF}a', 'private/\u{10FFFF}b', 'seg/b.ts', 'seg/\u{10FFFF}x.ts', 'z.txt']) await origin.putObject(BUCKET, k, k);
  const outer = writeBlock(origin.port, { path: '/media/', bucket: BUCKET, credentials: KEYS, methods: ['GET', 'HEAD'] });
  outer.listObjects = true;
  const inner = writeBlock(origin.port, { path: '/media/private/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'private/', methods: ['GET', 'HEAD'] });
  inner.access = { requireHeader: { name: 'x-cdn-secret', values: ['cdn-shared-secret-0002'] } };
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [outer, inner] });

  /** Every name and token in an answer, tokens decoded (base64url after their prefix) too. */
  const leaks = (xml: string): string[] => {
    const tokens = [...xml.matchAll(/<NextContinuationToken>([^<]*)</g)].map((m) => Buffer.from(m[1]!.replace(/^[^.]*\./, ''), 'base64url').toString('latin1'));
    return HIDDEN.flatMap((h) => [h, h.slice('private/'.length)]).filter((name) => xml.includes(name) || tokens.some((tok) => tok.includes(name)));
  };

  // Page through one key at a time, from the start and from just before each hidden name.
  const keys: string[] = [];
  for (const start of ['', 'a.txt', 'private/payroll', 'private/z-secret-plan.pde']) {
    let query = `list-type=2&max-keys=1${start ? `&start-after=${encodeURIComponent(start)}` : ''}`;
    for (let page = 0; page < 10; page++) {
      const r = await raw(proxy.port, { path: `/media?${query}` });
      assert.equal(r.status, 200, r.text.slice(0, 300));
      assert.deepEqual(leaks(r.text), [], `start-after ${JSON.stringify(start)}, page ${page}: ${r.text}`);
      if (start === '') keys.push(...[...r.text.matchAll(/<Key>([^<]*)</g)].map((m) => m[1]!));
      const next = /<NextContinuationToken>([^<]*)</.exec(r.text)?.[1];
      if (!next) break;
      query = `list-type=2&max-keys=1&continuation-token=${encodeURIComponent(next)}`;
    }
  }
  assert.deepEqual(keys, ['a.txt', 'seg/b.ts', 'seg/\u{10FFFF}x.ts', 'z.txt'], 'paged to the end, every key of the block once');

  // With a delimiter, one entry a page: the folder once, however its keys sort.
  const entries: string[] = [];
  let query = 'list-type=2&max-keys=1&delimiter=%2F';
  for (let page = 0; page < 10; page++) {
    const r = await raw(proxy.port, { path: `/media?${query}` });
    assert.deepEqual(leaks(r.text), []);
    entries.push(...[...r.text.matchAll(/<(?:Key|Prefix)>([^<]+)</g)].map((m) => m[1]!));
    const next = /<NextContinuationToken>([^<]*)</.exec(r.text)?.[1];
    if (!next) break;
    query = `list-type=2&max-keys=1&delimiter=%2F&continuation-token=${encodeURIComponent(next)}`;
  }
  assert.deepEqual(entries, ['a.txt', 'seg/', 'z.txt']);

  // The oracle: a start point just before a hidden name, and one just after it, answer alike.
  const page = async (after: string): Promise<string> => (await raw(proxy.port, { path: `/media?list-type=2&max-keys=1&start-after=${encodeURIComponent(after)}` })).text.replace(/<StartAfter>[^<]*<\/StartAfter>/, '');
  assert.equal(await page('private/z-secret-plan.pde'), await page('private/z-secret-plan.pdf'));
  assert.equal(await page('private/a'), await page('private/zzz'));
});
