// The source's layers (README "Design notes → Source layout", issue #17): each top-level entry of
// src/ imports only from itself and from entries below it, and no file imports itself back through
// others. Type-only and dynamic imports count too: a layer that needs a type from above has its
// concern in the wrong place.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/paths.js';

/** Bottom to top. Entries of one rank never import each other. */
const LAYERS: readonly (readonly string[])[] = [
  ['errors.ts'],
  ['http', 'signing', 'upstream'],
  ['config'],
  ['access'],
  ['log'],
  ['credentials'],
  ['cache'],
  ['interceptors'],
  ['observability'],
  ['proxy'],
  ['server'],
  ['commands'],
  ['demo'],
  ['cli.ts'],
];

const src = join(repoRoot, 'src');
const rank = new Map(LAYERS.flatMap((entries, i) => entries.map((e) => [e, i] as const)));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative imports of a file (static, type-only, side-effect, re-exports and dynamic), as src-relative paths of .ts files. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  // `import … from '…'`, `export … from '…'`, a bare `import '…'`, and `import('…')`.
  const patterns = [/^(?:import|export)\b[^;]*?\sfrom\s+'(\.[^']+)'/gms, /^import\s+'(\.[^']+)'/gm, /\bimport\(\s*'(\.[^']+)'\s*\)/g];
  const specs = patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
  return specs.map((s) => relative(src, normalize(join(dirname(file), s))).replace(/\.js$/, '.ts'));
}

const topOf = (srcRelative: string): string => srcRelative.split('/')[0]!;
const files = sourceFiles(src).map((f) => relative(src, f));
const graph = new Map(files.map((f) => [f, importsOf(join(src, f))]));

test('every top-level entry of src/ has a layer, and every layer entry exists', () => {
  const entries = new Set(files.map(topOf));
  const unplaced = [...entries].filter((e) => !rank.has(e));
  assert.deepEqual(unplaced, [], `place these in LAYERS (and in the README's source layout): ${unplaced.join(', ')}`);
  const gone = [...rank.keys()].filter((e) => !entries.has(e));
  assert.deepEqual(gone, [], `no longer in src/: ${gone.join(', ')}`);
});

test('every relative import names a source file (so none escapes the checks below)', () => {
  const unresolved = [...graph].flatMap(([file, imports]) => imports.filter((t) => !graph.has(t) && !existsSync(join(src, t))).map((t) => `${file} → ${t}`));
  assert.deepEqual(unresolved, [], unresolved.join('\n'));
});

test('every import goes to the same entry or one below it', () => {
  const upward: string[] = [];
  for (const [file, imports] of graph) {
    const from = topOf(file);
    for (const target of imports) {
      const to = topOf(target);
      if (to !== from && !((rank.get(to) ?? Infinity) < (rank.get(from) ?? -Infinity))) upward.push(`${file} → ${target}`);
    }
  }
  assert.deepEqual(upward, [], `imports that do not go down:\n${upward.join('\n')}`);
});

test('no file imports itself back through others', () => {
  // Depth-first search; a file found again while it is still on the path closes a cycle.
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]): void => {
    state.set(file, 'open');
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), file, next].join(' → '));
      else if (!state.has(next)) visit(next, [...path, file]);
    }
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file, []);
  assert.deepEqual(cycles, [], `import cycles:\n${cycles.join('\n')}`);
});

test('the checks see the imports (a guard against a regex that matches nothing)', () => {
  const total = [...graph.values()].reduce((n, i) => n + i.length, 0);
  assert.ok(files.length > 100 && total > files.length, `${files.length} files, ${total} imports`);
  assert.ok(graph.get('cli.ts')?.some((t) => topOf(t) === 'commands'), 'cli.ts imports commands/');
  // cli.ts loads the demo only with `await import()`: no static import names it.
  assert.ok(graph.get('cli.ts')?.includes('demo/demo.ts'), 'a dynamic import is seen');
});
