// The awkward-key table through the CLI proxy, in all four signing modes with and without a
// session token, against the strict origin (which recomputes every signature independently):
// each key fully encoded and minimally encoded comes back byte-exact.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AWKWARD_KEYS, minimalEncode } from '../support/awkward-keys.js';
import { startModesFixture, MODE_BLOCKS } from '../support/modes-fixture.js';
import { encodeKey, raw } from '../support/origin-client.js';

const body = (key: string): string => `object ${JSON.stringify(key)}\n`;

test('awkward keys in every signing mode', async (t) => {
  const { origin, proxy } = await startModesFixture(t, AWKWARD_KEYS.map((k) => [k, body(k)] as const));
  for (const block of MODE_BLOCKS) {
    await t.test(`${block.prefix} (${block.addressing}-style)`, async () => {
      for (const key of AWKWARD_KEYS) {
        for (const spelling of new Set([encodeKey(key), minimalEncode(key)])) {
          const before = origin.requests.length;
          const res = await raw(proxy.port, { path: `${block.prefix}${spelling}` });
          const seen = origin.requests.slice(before);
          assert.equal(res.status, 200, `${JSON.stringify(key)} as ${spelling}: ${res.text.slice(0, 400)}`);
          assert.equal(res.text, body(key));
          assert.equal(seen.length, 1);
          assert.equal(seen[0]?.auth, block.auth);
        }
      }
    });
  }
});
