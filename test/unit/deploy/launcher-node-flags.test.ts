// bin/origin-signer starts Node with the memory and GC flags README "Memory" explains, adds
// --no-incremental-marking on Node 24 and later only (where V8's marking task and the scavenger
// slowed large downloads 3–4×), and lets ORIGIN_SIGNER_NODE_FLAGS replace them all. A fake `node`
// stands in: it answers `--version` with the version under test and prints what it was given.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { repoRoot } from '../../support/paths.js';

const DEFAULTS = ['--max-semi-space-size=2', '--expose-gc', '--single-threaded-gc', '--single-threaded', '--liftoff-only'];

function launch(t: TestContext, version: string, env: Record<string, string> = {}): { flags: string[]; args: string[]; arena: string } {
  const dir = mkdtempSync(join(tmpdir(), 'os-launcher-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const fake = join(dir, 'node');
  writeFileSync(fake, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "${version}"; exit 0; fi\necho "arena=$MALLOC_ARENA_MAX"\nprintf '%s\\n' "$@"\n`);
  chmodSync(fake, 0o755);
  const base: Record<string, string | undefined> = { ...process.env, ORIGIN_SIGNER_NODE: fake, ...env };
  if (!('ORIGIN_SIGNER_NODE_FLAGS' in env)) delete base.ORIGIN_SIGNER_NODE_FLAGS;
  if (!('MALLOC_ARENA_MAX' in env)) delete base.MALLOC_ARENA_MAX;
  const run = spawnSync(join(repoRoot, 'bin', 'origin-signer'), ['serve', '--config', 'x.yaml'], { env: base, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const [arenaLine, ...lines] = run.stdout.trimEnd().split('\n');
  const cli = lines.findIndex((l) => l.endsWith(join('dist', 'src', 'cli.js')));
  assert.ok(cli >= 0, `the CLI is started: ${run.stdout}`);
  return { flags: lines.slice(0, cli), args: lines.slice(cli + 1), arena: arenaLine ?? '' };
}

test('Node 20: the memory flags, no --no-incremental-marking; arguments passed on; two malloc arenas', (t) => {
  const got = launch(t, 'v20.18.0');
  assert.deepEqual(got.flags, DEFAULTS);
  assert.deepEqual(got.args, ['serve', '--config', 'x.yaml']);
  assert.equal(got.arena, 'arena=2');
});

test('Node 22 keeps the Node 20 flags: the V8 13 workaround is for Node 24 and later', (t) => {
  assert.deepEqual(launch(t, 'v22.12.0').flags, DEFAULTS);
});

test('Node 24 and later: --no-incremental-marking too', (t) => {
  assert.deepEqual(launch(t, 'v24.11.1').flags, [...DEFAULTS, '--no-incremental-marking']);
  assert.deepEqual(launch(t, 'v26.0.0').flags, [...DEFAULTS, '--no-incremental-marking']);
  assert.deepEqual(launch(t, 'v30.1.0').flags, [...DEFAULTS, '--no-incremental-marking']);
});

test('ORIGIN_SIGNER_NODE_FLAGS replaces every flag, even when empty; MALLOC_ARENA_MAX can be overridden', (t) => {
  assert.deepEqual(launch(t, 'v24.11.1', { ORIGIN_SIGNER_NODE_FLAGS: '--foo --bar=1' }).flags, ['--foo', '--bar=1']);
  assert.deepEqual(launch(t, 'v24.11.1', { ORIGIN_SIGNER_NODE_FLAGS: '' }).flags, []);
  assert.equal(launch(t, 'v20.18.0', { MALLOC_ARENA_MAX: '4' }).arena, 'arena=4');
});
