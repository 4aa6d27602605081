// src/errors.ts is the one error list; README.md's "Errors" table mirrors it with a "how to fix"
// column. This keeps the two in step: same codes, same statuses, nothing missing on either side.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ERRORS } from '../../src/errors.js';
import { repoRoot } from '../support/paths.js';

function readmeErrorTable(): Map<string, { status: string; fix: string }> {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.split(/^## Errors$/m)[1]?.split(/^## /m)[0];
  assert.ok(section, 'README has an "## Errors" section');
  const rows = new Map<string, { status: string; fix: string }>();
  for (const line of section.split('\n')) {
    const m = /^\| `(OS_ERR_[A-Z0-9_]+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/.exec(line.trim());
    if (m) rows.set(m[1]!, { status: m[2]!.trim(), fix: m[4]!.trim() });
  }
  return rows;
}

test('every error code is in the README table with its status and a how-to-fix', () => {
  const rows = readmeErrorTable();
  for (const [code, spec] of Object.entries(ERRORS)) {
    const row = rows.get(code);
    assert.ok(row, `README Errors table lacks ${code}`);
    if (spec.status === null) assert.match(row.status, /^—/, `${code} is a start-up error`);
    else assert.equal(row.status, String(spec.status), `${code} status`);
    assert.ok(row.fix.length > 10, `${code} needs a how-to-fix`);
  }
});

test('the README table lists no code that src/errors.ts does not define', () => {
  for (const code of readmeErrorTable().keys()) assert.ok(code in ERRORS, `README lists unknown ${code}`);
});
