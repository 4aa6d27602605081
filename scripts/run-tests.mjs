#!/usr/bin/env node
// Runs the compiled test files (dist/test/**/*.test.js) with node's test runner.
// Node 20's `--test` does not expand globs and treats every .js under a `test/` folder as a test
// file (helpers included), so the list is built here. Arguments select test folders
// (`unit`, `config`, `e2e`, `rgw`, ...); none means all of them. The workspace packages' own tests
// (packages/*/dist/test/**/*.test.js, built by `npm run build`) are unit tests.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const testRoot = join(root, 'dist', 'test');
const wanted = process.argv.slice(2);

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (name.endsWith('.test.js')) out.push(full);
  }
  return out;
}

const packagesRoot = join(root, 'packages');
const packageTests = existsSync(packagesRoot)
  ? readdirSync(packagesRoot)
      .sort()
      .map((name) => join(packagesRoot, name, 'dist', 'test'))
      .filter((dir) => existsSync(dir))
      .flatMap((dir) => walk(dir))
  : [];

const files = [
  ...walk(testRoot).filter((f) => wanted.length === 0 || wanted.includes(relative(testRoot, f).split(sep)[0])),
  ...(wanted.length === 0 || wanted.includes('unit') ? packageTests : []),
];
if (files.length === 0) {
  console.error(`no test files found under ${testRoot} for ${wanted.join(', ') || 'all'}`);
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const child = spawn(
  process.execPath,
  ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit', cwd: root },
);
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
