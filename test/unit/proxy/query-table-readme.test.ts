// README "What reaches the bucket" step 4 shows the query table; this keeps it and
// src/proxy/upstream-query.ts in step: every parameter the README names in a column gets that
// verdict from the code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { queryVerdict } from '../../../src/proxy/upstream-query.js';
import { repoRoot } from '../../support/paths.js';

const ticks = (s: string): string[] => [...s.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
const SIGNED_URL = new Set(['Expires', 'Signature', 'Key-Pair-Id', 'Policy', 'Hash-Algorithm']);

test('the README query table matches queryVerdict for every name it lists', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const rows = readme.split('\n').filter((l) => /^\s+\| `(GET|PUT|POST|DELETE)`/.test(l));
  assert.equal(rows.length, 4, 'four method rows');
  for (const row of rows) {
    const [methods, forwarded, dropped, refused] = row.trim().split('|').slice(1, -1).map((c) => c.trim()) as [string, string, string, string];
    for (const method of ticks(methods)) {
      for (const name of ticks(forwarded).map((n) => n.replace(/[ ?=].*$/, '').replace(/^GET \?/, ''))) {
        if (!/^[A-Za-z-]+$/.test(name) || ['PUT', 'POST', 'GET'].includes(name)) continue;
        assert.equal(queryVerdict(method, name, new Set(), true), 'forward', `${method} ${name}`);
      }
      for (const name of ticks(dropped)) {
        if (name.endsWith('*') || name.includes('.') || name === 'PUT') continue;
        assert.equal(queryVerdict(method, name, SIGNED_URL), 'drop', `${method} ${name}`);
      }
      for (const name of ticks(refused)) {
        // "`partNumber` or `uploadId` alone" is a rule about pairs, checked in upstream-query.test.
        if (name.endsWith('*') || name.includes('?') || forwarded.includes(`\`${name}\``)) continue;
        assert.equal(queryVerdict(method, name), 'refuse', `${method} ${name}`);
      }
    }
  }
});
