import { isAlias, isMap, isScalar, isSeq, type Alias, type Node } from 'yaml';
import type { ConfigPath, ConfigProblem } from './problems.js';
import { keyOf, type YamlSource } from './yaml-source.js';

/**
 * The document as plain data, or located problems when the yaml library cannot make it so. Its
 * messages quote the source (`Unresolved alias …: <the text after *>`), and an unquoted secret
 * starting with `*` is read as an alias: a problem here names where, never the text.
 */
export function documentData(src: YamlSource): { data: unknown } | { problems: ConfigProblem[] } {
  try {
    return { data: src.doc.toJS() ?? {} };
  } catch {
    const aliases: Array<{ alias: Alias; path: ConfigPath }> = [];
    collectAliases(src.doc.contents, [], aliases);
    const unresolved = aliases.filter(({ alias }) => alias.resolve(src.doc) === undefined);
    if (unresolved.length > 0) {
      return { problems: unresolved.map(({ alias, path }) => at(src, alias, path, 'an unresolved alias: a value starting with * must be quoted')) };
    }
    // What else toJS throws on is the library's billion-laughs guard (more expanded aliases than
    // it allows); the alias that expands to the most values is the one to point at.
    const sizes = new Map<Node, number>();
    const worst = aliases.reduce<(typeof aliases)[number] | undefined>((best, a) => (best && expansion(src, best.alias, sizes) >= expansion(src, a.alias, sizes) ? best : a), undefined);
    const message = 'too many aliases to expand (YAML anchors and aliases nested into an exponentially large value)';
    return { problems: [worst ? at(src, worst.alias, worst.path, message) : { path: [], message }] };
  }
}

function at(src: YamlSource, node: Node, path: ConfigPath, message: string): ConfigProblem {
  const pos = node.range ? src.position(node.range[0]) : undefined;
  return { path, message, ...(pos ? { line: pos.line, col: pos.col } : {}) };
}

/** Every alias node, in document order, with the config path it stands at (a key alias: its map's). */
function collectAliases(node: unknown, path: Array<string | number>, out: Array<{ alias: Alias; path: ConfigPath }>): void {
  if (isAlias(node)) out.push({ alias: node, path });
  else if (isMap(node)) {
    for (const pair of node.items) {
      collectAliases(pair.key, path, out);
      collectAliases(pair.value, [...path, isAlias(pair.key) ? '(alias)' : keyOf(pair.key)], out);
    }
  } else if (isSeq(node)) node.items.forEach((item, i) => collectAliases(item, [...path, i], out));
}

/** How many scalars a node stands for once its aliases are expanded (memoised, so a bomb is cheap to measure). */
function expansion(src: YamlSource, node: unknown, sizes: Map<Node, number>): number {
  if (isScalar(node) || node === null || typeof node !== 'object') return 1;
  const known = sizes.get(node as Node);
  if (known !== undefined) return known;
  sizes.set(node as Node, 1); // a cycle counts once rather than recursing forever
  let n = 1;
  if (isAlias(node)) n = expansion(src, node.resolve(src.doc), sizes);
  else if (isMap(node)) n = node.items.reduce<number>((s, p) => s + expansion(src, p.key, sizes) + expansion(src, p.value, sizes), 0);
  else if (isSeq(node)) n = node.items.reduce<number>((s, item) => s + expansion(src, item, sizes), 0);
  sizes.set(node as Node, n);
  return n;
}
