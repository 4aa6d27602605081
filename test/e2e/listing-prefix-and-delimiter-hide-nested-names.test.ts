// Regression (found by a hostile-viewer hunt): a bucket listing of a block still depended on the
// names a nested block hides, through the two parameters that were passed to the store as given.
// `prefix` inside the nested prefix: `?list-type=2&max-keys=1&prefix=private/payroll-202` answered
// IsTruncated true (two hidden keys start so) and `prefix=private/payroll-2025` false. `delimiter`:
// hidden keys containing it collapse into one hidden common prefix, so with a start-after just
// before the nested prefix, `delimiter=payroll-202` showed `z.txt` on the page and
// `delimiter=payroll-203` did not (the store's page filled up with hidden entries). Now a prefix
// inside a nested prefix lists nothing without asking the store, and a store page is cut at its
// first hidden entry, the rest of the page asked for past the nested prefix: every such answer is
// the same whatever the hidden names are, and pages are still full.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { raw } from '../support/origin-client.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { writeBlock } from '../support/writes-helpers.js';

const HIDDEN = ['private/payroll-2025.xlsx', 'private/payroll-2026.xlsx', 'private/z-plan.pdf'];

test('a listing prefix or delimiter tells nothing of what a nested block hides', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  for (const k of ['a.txt', ...HIDDEN, 'z.txt']) await origin.putObject(BUCKET, k, k);
  const outer = writeBlock(origin.port, { path: '/media/', bucket: BUCKET, credentials: KEYS, methods: ['GET', 'HEAD'] });
  outer.listObjects = true;
  const inner = writeBlock(origin.port, { path: '/media/private/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'private/', methods: ['GET', 'HEAD'] });
  inner.access = { requireHeader: { name: 'x-cdn-secret', values: ['cdn-shared-secret-0003'] } };
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [outer, inner] });

  /** The listing's answer, the echoed parameter (`Prefix` or `Delimiter`) taken out. */
  const list = async (query: string, echoed: 'Prefix' | 'Delimiter'): Promise<string> => {
    const r = await raw(proxy.port, { path: `/media?${query}` });
    assert.equal(r.status, 200, `${query}: ${r.text.slice(0, 300)}`);
    for (const name of HIDDEN) assert.ok(!r.text.includes(name.slice('private/'.length)), `${query} names ${name}: ${r.text}`);
    return r.text.replace(new RegExp(`<${echoed}>[^<]*</${echoed}>`), '');
  };

  // A prefix inside the nested prefix: the same empty listing whatever lies under it, and the store is not asked.
  const before = origin.requests.length;
  const byPrefix = await Promise.all(['private/payroll-202', 'private/payroll-2025', 'private/q', 'private/'].map((p) => list(`list-type=2&max-keys=1&prefix=${encodeURIComponent(p)}`, 'Prefix')));
  for (const answer of byPrefix) assert.equal(answer, byPrefix[0]);
  assert.match(byPrefix[0]!, /<KeyCount>0<\/KeyCount><IsTruncated>false<\/IsTruncated>/);
  assert.equal(origin.requests.length, before, 'nothing asked of the store');

  // A delimiter that collapses hidden names, or does not: the same page, in both listings, and it is full.
  for (const version of ['list-type=2&start-after=a.txt', 'marker=a.txt']) {
    const byDelimiter = await Promise.all(['payroll-202', 'payroll-203', 'z-pl', 'z-pq'].map((d) => list(`${version}&max-keys=3&delimiter=${encodeURIComponent(d)}`, 'Delimiter')));
    for (const answer of byDelimiter) assert.equal(answer, byDelimiter[0], version);
    assert.match(byDelimiter[0]!, /<Key>z\.txt<\/Key>/, `${version}: the page goes on past the nested prefix`);
    assert.match(byDelimiter[0]!, /<IsTruncated>false<\/IsTruncated>/, version);
  }
});
